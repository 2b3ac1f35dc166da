#include "proto/sha0.hpp"

#include <cstring>

namespace vpnse::proto {
namespace {
constexpr std::uint32_t rotl(std::uint32_t v, int n) {
    return (v << n) | (v >> (32 - n));
}
}  // namespace

Sha0::Sha0() : state_{0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u} {}

void Sha0::transform(const std::uint8_t* block) {
    std::uint32_t w[80];
    for (int t = 0; t < 16; ++t)
        w[t] = load_be32(block + 4 * t);
    // The one difference from SHA-1: no rotation here (7.1).
    for (int t = 16; t < 80; ++t)
        w[t] = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
    std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3], e = state_[4];
    for (int t = 0; t < 80; ++t) {
        std::uint32_t f, k;
        if (t < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999u;
        } else if (t < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1u;
        } else if (t < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6u;
        }
        const std::uint32_t temp = rotl(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = temp;
    }
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
    state_[4] += e;
}

void Sha0::update(ByteSpan data) {
    total_bytes_ += data.size();
    std::size_t offset = 0;
    if (buffered_ > 0) {
        const std::size_t take = std::min(data.size(), buffer_.size() - buffered_);
        std::memcpy(buffer_.data() + buffered_, data.data(), take);
        buffered_ += take;
        offset = take;
        if (buffered_ < buffer_.size())
            return;
        transform(buffer_.data());
        buffered_ = 0;
    }
    for (; offset + 64 <= data.size(); offset += 64)
        transform(data.data() + offset);
    std::memcpy(buffer_.data(), data.data() + offset, data.size() - offset);
    buffered_ = data.size() - offset;
}

Sha0Digest Sha0::finish() {
    const std::uint64_t bits = total_bytes_ * 8;
    std::uint8_t pad[72] = {0x80};
    const std::size_t pad_len = (buffered_ < 56) ? 56 - buffered_ : 120 - buffered_;
    std::uint8_t length[8];
    for (int i = 0; i < 8; ++i)
        length[i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    update({pad, pad_len});
    update({length, 8});
    Sha0Digest out;
    for (int i = 0; i < 5; ++i)
        store_be32(out.data() + 4 * i, state_[i]);
    return out;
}

Sha0Digest sha0(ByteSpan data) {
    Sha0 hash;
    hash.update(data);
    return hash.finish();
}

}  // namespace vpnse::proto
