#include "session/udp_accel_codec.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "core/rc4.hpp"

namespace vpnse::session::udp_accel {
namespace {

struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

void write_header(std::uint8_t* p, const InnerHeader& header, std::size_t payload_size) {
    store_be32(p, header.cookie);
    store_be64(p + 4, header.my_tick);
    store_be64(p + 12, header.your_tick);
    store_be16(p + 20, static_cast<std::uint16_t>(payload_size));
    p[22] = header.compressed ? 1 : 0;
}

// The inner block (header, payload, any padding after it): nullopt if the header does not fit.
std::optional<OpenedDatagram> parse_inner(ByteSpan inner) {
    if (inner.size() < kInnerHeaderSize)
        return std::nullopt;
    OpenedDatagram opened;
    opened.header.cookie = load_be32(inner.data());
    opened.header.my_tick = load_be64(inner.data() + 4);
    opened.header.your_tick = load_be64(inner.data() + 12);
    const std::size_t size = load_be16(inner.data() + 20);
    opened.header.compressed = inner[22] != 0;
    if (size > inner.size() - kInnerHeaderSize)
        return std::nullopt;
    opened.payload = inner.subspan(kInnerHeaderSize, size);
    return opened;
}

}  // namespace

struct DatagramCipher::Crypto {
    // V2: one context per operation, keyed once; each datagram only sets its nonce.
    CipherCtx seal_ctx;
    CipherCtx open_ctx;
    // V1: the common key; each datagram's RC4 key is SHA-1(common key || IV).
    std::array<std::uint8_t, kV1KeySize> v1_key{};
    MdCtx md;

    std::array<std::uint8_t, 20> v1_stream_key(const std::uint8_t* iv) {
        std::array<std::uint8_t, 20> digest{};
        unsigned int length = 0;
        if (EVP_DigestInit_ex(md.get(), EVP_sha1(), nullptr) != 1 ||
            EVP_DigestUpdate(md.get(), v1_key.data(), v1_key.size()) != 1 ||
            EVP_DigestUpdate(md.get(), iv, kV1IvSize) != 1 ||
            EVP_DigestFinal_ex(md.get(), digest.data(), &length) != 1)
            digest.fill(0);  // cannot happen with a working libcrypto; such a key just fails to verify
        return digest;
    }
};

DatagramCipher::DatagramCipher(Version version, bool encrypted)
    : version_(version), encrypted_(encrypted), crypto_(std::make_unique<Crypto>()) {}
DatagramCipher::~DatagramCipher() = default;
DatagramCipher::DatagramCipher(DatagramCipher&&) noexcept = default;
DatagramCipher& DatagramCipher::operator=(DatagramCipher&&) noexcept = default;

Result<DatagramCipher> DatagramCipher::create(Version version, ByteSpan key, bool encrypted) {
    DatagramCipher cipher(version, encrypted);
    if (!encrypted)
        return cipher;
    if (version == Version::v1) {
        if (key.size() != kV1KeySize)
            return Error(ErrorCode::invalid_argument,
                         "UDP acceleration V1 key must be 20 bytes, not " + std::to_string(key.size()));
        std::copy(key.begin(), key.end(), cipher.crypto_->v1_key.begin());
        cipher.crypto_->md.reset(EVP_MD_CTX_new());
        if (!cipher.crypto_->md)
            return Error(ErrorCode::tls_failed, "UDP acceleration: libcrypto has no SHA-1 context");
        return cipher;
    }
    if (key.size() != kV2KeySize && key.size() != kV2CipherKeySize)
        return Error(ErrorCode::invalid_argument,
                     "UDP acceleration V2 key must be 128 (or 32) bytes, not " + std::to_string(key.size()));
    for (auto* slot : {&cipher.crypto_->seal_ctx, &cipher.crypto_->open_ctx}) {
        const int encrypt = slot == &cipher.crypto_->seal_ctx ? 1 : 0;
        slot->reset(EVP_CIPHER_CTX_new());
        if (!*slot ||
            EVP_CipherInit_ex(slot->get(), EVP_chacha20_poly1305(), nullptr, nullptr, nullptr, encrypt) !=
                1 ||
            EVP_CIPHER_CTX_ctrl(slot->get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(kV2NonceSize),
                                nullptr) != 1 ||
            EVP_CipherInit_ex(slot->get(), nullptr, nullptr, key.data(), nullptr, encrypt) != 1)
            return Error(ErrorCode::tls_failed, "UDP acceleration: ChaCha20-Poly1305 setup failed");
    }
    return cipher;
}

std::size_t DatagramCipher::iv_size() const {
    if (!encrypted_)
        return 0;
    return version_ == Version::v1 ? kV1IvSize : kV2NonceSize;
}

std::size_t DatagramCipher::overhead() const {
    if (!encrypted_)
        return 0;
    return version_ == Version::v1 ? kV1IvSize + kV1VerifySize : kV2NonceSize + kV2TagSize;
}

void DatagramCipher::seal(ByteSpan iv, const InnerHeader& header, ByteSpan payload, std::size_t padding,
                          Bytes& out) {
    if (!encrypted_)
        padding = 0;
    const std::size_t inner_size = kInnerHeaderSize + payload.size() + padding;
    const std::size_t start = out.size();
    out.resize(start + overhead() + inner_size);
    std::uint8_t* p = out.data() + start;
    std::memcpy(p, iv.data(), iv_size());
    std::uint8_t* inner = p + iv_size();
    write_header(inner, header, payload.size());
    if (!payload.empty())
        std::memcpy(inner + kInnerHeaderSize, payload.data(), payload.size());
    std::memset(inner + kInnerHeaderSize + payload.size(), 0, padding);
    if (!encrypted_)
        return;
    if (version_ == Version::v1) {
        std::memset(inner + inner_size, 0, kV1VerifySize);
        const auto stream_key = crypto_->v1_stream_key(p);
        Rc4(stream_key).apply({inner, inner_size + kV1VerifySize});
        return;
    }
    EVP_CIPHER_CTX* ctx = crypto_->seal_ctx.get();
    int length = 0;
    if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, p) != 1 ||
        EVP_EncryptUpdate(ctx, inner, &length, inner, static_cast<int>(inner_size)) != 1 ||
        EVP_EncryptFinal_ex(ctx, inner + length, &length) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kV2TagSize), inner + inner_size) !=
            1)
        out.resize(start);  // libcrypto refused: send nothing rather than a datagram that cannot open
}

void DatagramCipher::seal_next(const InnerHeader& header, ByteSpan payload, std::size_t max_size,
                               Padding rule, RandomSource& rng, Bytes& out) {
    std::array<std::uint8_t, kV1IvSize> iv{};
    if (encrypted_ && version_ == Version::v2) {
        if (next_iv_.empty()) {
            next_iv_.resize(4);
            rng.fill(next_iv_);
        }
        std::memcpy(iv.data(), next_iv_.data(), 4);
        store_be64(iv.data() + 4, nonce_counter_++);
    } else if (encrypted_) {
        if (next_iv_.size() != kV1IvSize) {
            next_iv_.resize(kV1IvSize);
            rng.fill(next_iv_);
        }
        std::memcpy(iv.data(), next_iv_.data(), kV1IvSize);
    }
    const std::size_t length = overhead() + kInnerHeaderSize + payload.size();
    std::size_t padding = 0;
    if (encrypted_)
        padding = rule == Padding::random ? padding_for(length, max_size, rng)
                                          : bucket_padding_for(length, max_size);
    const std::size_t start = out.size();
    seal(iv, header, payload, padding, out);
    if (encrypted_ && version_ == Version::v1 && out.size() >= start + kV1IvSize)
        next_iv_.assign(out.end() - kV1IvSize, out.end());
}

std::optional<OpenedDatagram> DatagramCipher::open(ByteSpan datagram) {
    if (!encrypted_)
        return parse_inner(datagram);
    if (datagram.size() < overhead())
        return std::nullopt;
    const std::size_t body_size = datagram.size() - iv_size();
    plain_.resize(std::max(plain_.size(), body_size));
    if (version_ == Version::v1) {
        std::memcpy(plain_.data(), datagram.data() + kV1IvSize, body_size);
        const auto stream_key = crypto_->v1_stream_key(datagram.data());
        Rc4(stream_key).apply({plain_.data(), body_size});
        const std::size_t inner_size = body_size - kV1VerifySize;
        const bool verified = std::all_of(plain_.begin() + static_cast<std::ptrdiff_t>(inner_size),
                                          plain_.begin() + static_cast<std::ptrdiff_t>(body_size),
                                          [](std::uint8_t b) { return b == 0; });
        if (!verified)
            return std::nullopt;
        return parse_inner({plain_.data(), inner_size});
    }
    const std::size_t inner_size = body_size - kV2TagSize;
    const std::uint8_t* ciphertext = datagram.data() + kV2NonceSize;
    EVP_CIPHER_CTX* ctx = crypto_->open_ctx.get();
    std::array<std::uint8_t, kV2TagSize> tag{};
    std::memcpy(tag.data(), ciphertext + inner_size, kV2TagSize);
    int length = 0;
    if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, datagram.data()) != 1 ||
        EVP_DecryptUpdate(ctx, plain_.data(), &length, ciphertext, static_cast<int>(inner_size)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kV2TagSize), tag.data()) != 1 ||
        EVP_DecryptFinal_ex(ctx, plain_.data() + length, &length) != 1)
        return std::nullopt;
    return parse_inner({plain_.data(), inner_size});
}

std::size_t padding_for(std::size_t length, std::size_t max_size, RandomSource& rng) {
    if (length >= max_size)
        return 0;
    const auto room = static_cast<std::uint32_t>(std::min(max_size - length, kMaxPadding));
    return rng.uniform(room);
}

std::size_t bucket_padding_for(std::size_t length, std::size_t max_size) {
    if (length >= max_size)
        return 0;
    const std::size_t bucket = (length + kMaxPadding - 1) / kMaxPadding * kMaxPadding;
    return std::min(bucket, max_size) - length;
}

}  // namespace vpnse::session::udp_accel
