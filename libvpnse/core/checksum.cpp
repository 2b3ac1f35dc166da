#include "core/checksum.hpp"

#include <bit>
#include <cstring>

namespace vpnse {
namespace {

// End-around carry down to 16 bits, still in memory order.
std::uint16_t fold16(std::uint64_t sum) noexcept {
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffffffu) + (sum >> 32);
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return static_cast<std::uint16_t>(sum);
}

std::uint64_t halves(std::uint64_t word) noexcept {
    return (word & 0xffffffffu) + (word >> 32);
}

}  // namespace

CsumPartial csum_add(ByteSpan data, CsumPartial sum) noexcept {
    // The two 32-bit halves of each 64-bit word go into 64-bit accumulators: no carries to track (2^31
    // words before one could overflow), four independent chains, and the compiler can vectorize it.
    // memcpy makes unaligned starts legal and compiles to plain loads.
    const std::uint8_t* p = data.data();
    std::size_t n = data.size();
    std::uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    while (n >= 32) {
        std::uint64_t w[4];
        std::memcpy(w, p, sizeof w);
        a0 += halves(w[0]);
        a1 += halves(w[1]);
        a2 += halves(w[2]);
        a3 += halves(w[3]);
        p += 32;
        n -= 32;
    }
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, sizeof w);
        a0 += halves(w);
        p += 8;
        n -= 8;
    }
    if (n > 0) {
        // Zero padding after the tail keeps every byte at its position within a 16-bit word.
        std::uint64_t w = 0;
        std::memcpy(&w, p, n);
        a1 += halves(w);
    }
    // Fold each before adding, so a chain of any length stays far from overflowing.
    return {std::uint64_t{fold16(sum.words)} + fold16(a0) + fold16(a1) + fold16(a2) + fold16(a3)};
}

CsumPartial csum_pseudo_header(ByteSpan source, ByteSpan destination, std::uint8_t protocol,
                               std::uint32_t length) noexcept {
    // IPv6's layout (32-bit length, 3 zero bytes, next header); for IPv4's (zero, protocol, 16-bit
    // length) the 16-bit words sum to the same.
    std::uint8_t tail[8] = {};
    store_be32(tail, length);
    tail[7] = protocol;
    return csum_add(tail, csum_add(destination, csum_add(source)));
}

std::uint16_t csum_fold(CsumPartial sum) noexcept {
    const std::uint16_t folded = fold16(sum.words);
    if constexpr (std::endian::native == std::endian::little)
        return static_cast<std::uint16_t>((folded >> 8) | (folded << 8));
    return folded;
}

}  // namespace vpnse
