#include "tls/aead_records.hpp"

#include <openssl/evp.h>

#include <cstring>
#include <string>

namespace vpnse::tls {
namespace {

constexpr std::size_t kTagSize = 16;
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kGcmExplicitNonce = 8;
// RFC 5246 6.2.3: a TLSCiphertext fragment never exceeds 2^14 + 2048 bytes.
constexpr std::size_t kMaxCiphertextFragment = kTlsMaxPlaintext + 2048;
constexpr std::uint8_t kTls12Major = 3, kTls12Minor = 3;

struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

Error crypto_error(const std::string& what) {
    return Error(ErrorCode::tls_failed, "TLS record " + what);
}

// One direction: its cipher context (keyed once), implicit IV and sequence number.
class Direction {
  public:
    Status init(AeadCipher cipher, const AeadDirectionKeys& keys, bool encrypt) {
        const EVP_CIPHER* evp = nullptr;
        std::size_t key_size = 0, iv_size = 0;
        switch (cipher) {
            case AeadCipher::aes128_gcm:
                evp = EVP_aes_128_gcm(), key_size = 16, iv_size = 4;
                break;
            case AeadCipher::aes256_gcm:
                evp = EVP_aes_256_gcm(), key_size = 32, iv_size = 4;
                break;
            case AeadCipher::chacha20_poly1305:
                evp = EVP_chacha20_poly1305(), key_size = 32, iv_size = 12;
                break;
        }
        if (evp == nullptr || keys.key.size() != key_size || keys.implicit_iv.size() != iv_size) {
            return crypto_error(std::string("keys do not fit ") + aead_cipher_name(cipher) + " (key " +
                                std::to_string(keys.key.size()) + " bytes, IV " +
                                std::to_string(keys.implicit_iv.size()) + ")");
        }
        gcm_ = cipher != AeadCipher::chacha20_poly1305;
        encrypt_ = encrypt;
        sequence_ = keys.sequence;
        std::memcpy(implicit_iv_.data(), keys.implicit_iv.data(), iv_size);
        ctx_.reset(EVP_CIPHER_CTX_new());
        if (!ctx_ || EVP_CipherInit_ex(ctx_.get(), evp, nullptr, nullptr, nullptr, encrypt ? 1 : 0) != 1 ||
            EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(kNonceSize), nullptr) !=
                1 ||
            EVP_CipherInit_ex(ctx_.get(), nullptr, nullptr, keys.key.data(), nullptr, encrypt ? 1 : 0) != 1) {
            return crypto_error(std::string("cipher setup failed for ") + aead_cipher_name(cipher));
        }
        return {};
    }

    bool gcm() const { return gcm_; }
    std::uint64_t sequence() const { return sequence_; }

    // Starts a record: nonce from the sequence number (and, for GCM, the explicit part), then the AAD.
    bool begin(const std::uint8_t* explicit_nonce, std::uint8_t type, std::size_t plaintext_size) {
        std::array<std::uint8_t, kNonceSize> nonce{};
        if (gcm_) {
            std::memcpy(nonce.data(), implicit_iv_.data(), 4);
            std::memcpy(nonce.data() + 4, explicit_nonce, kGcmExplicitNonce);
        } else {
            std::array<std::uint8_t, 8> seq{};
            store_be64(seq.data(), sequence_);
            std::memcpy(nonce.data(), implicit_iv_.data(), kNonceSize);
            for (std::size_t i = 0; i < 8; ++i)
                nonce[4 + i] ^= seq[i];
        }
        std::array<std::uint8_t, 13> aad{};
        store_be64(aad.data(), sequence_);
        aad[8] = type;
        aad[9] = kTls12Major;
        aad[10] = kTls12Minor;
        aad[11] = static_cast<std::uint8_t>(plaintext_size >> 8);
        aad[12] = static_cast<std::uint8_t>(plaintext_size);
        int len = 0;
        return EVP_CipherInit_ex(ctx_.get(), nullptr, nullptr, nullptr, nonce.data(), encrypt_ ? 1 : 0) ==
                   1 &&
               EVP_CipherUpdate(ctx_.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1;
    }

    bool seal(const std::uint8_t* in, std::size_t size, std::uint8_t* out, std::uint8_t* tag) {
        int len = 0, final_len = 0;
        if (size > 0 && EVP_CipherUpdate(ctx_.get(), out, &len, in, static_cast<int>(size)) != 1)
            return false;
        if (EVP_CipherFinal_ex(ctx_.get(), out + len, &final_len) != 1)
            return false;
        if (EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kTagSize), tag) != 1)
            return false;
        ++sequence_;
        return true;
    }

    // False when the tag does not verify; `out` then holds unauthenticated bytes the caller discards.
    bool open(const std::uint8_t* in, std::size_t size, const std::uint8_t* tag, std::uint8_t* out) {
        int len = 0, final_len = 0;
        std::array<std::uint8_t, kTagSize> expected{};
        std::memcpy(expected.data(), tag, kTagSize);
        if (size > 0 && EVP_CipherUpdate(ctx_.get(), out, &len, in, static_cast<int>(size)) != 1)
            return false;
        if (EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kTagSize),
                                expected.data()) != 1)
            return false;
        if (EVP_CipherFinal_ex(ctx_.get(), out + len, &final_len) != 1)
            return false;
        ++sequence_;
        return true;
    }

  private:
    CipherCtx ctx_;
    std::array<std::uint8_t, kNonceSize> implicit_iv_{};
    std::uint64_t sequence_ = 0;
    bool gcm_ = true;
    bool encrypt_ = true;
};

class OpensslRecordLayer final : public AeadRecordLayer {
  public:
    Status init(const AeadTrafficKeys& keys) {
        if (auto status = write_.init(keys.cipher, keys.write, true); !status)
            return status;
        return read_.init(keys.cipher, keys.read, false);
    }

    std::size_t overhead() const override {
        return kTlsRecordHeader + (write_.gcm() ? kGcmExplicitNonce : 0) + kTagSize;
    }

    Status seal(ByteSpan plaintext, Bytes& out, std::uint8_t content_type) override {
        std::size_t offset = 0;
        do {
            if (write_.sequence() == UINT64_MAX)
                return crypto_error("sequence number exhausted; the connection must be renewed");
            const std::size_t n = std::min(kTlsMaxPlaintext, plaintext.size() - offset);
            const std::size_t explicit_size = write_.gcm() ? kGcmExplicitNonce : 0;
            const std::size_t fragment = explicit_size + n + kTagSize;
            const std::size_t start = out.size();
            out.resize(start + kTlsRecordHeader + fragment);
            std::uint8_t* record = out.data() + start;
            record[0] = content_type;
            record[1] = kTls12Major;
            record[2] = kTls12Minor;
            record[3] = static_cast<std::uint8_t>(fragment >> 8);
            record[4] = static_cast<std::uint8_t>(fragment);
            std::uint8_t* explicit_nonce = record + kTlsRecordHeader;
            // The explicit nonce only has to be unique per key; the sequence number is (RFC 5288 3).
            store_be64(explicit_nonce, write_.sequence());
            std::uint8_t* body = explicit_nonce + explicit_size;
            if (!write_.begin(explicit_nonce, content_type, n) ||
                !write_.seal(plaintext.data() + offset, n, body, body + n)) {
                out.resize(start);
                return crypto_error("encryption failed");
            }
            offset += n;
        } while (offset < plaintext.size());
        return {};
    }

    Result<OpenedRecord> open(ByteSpan input, std::span<std::uint8_t> out) override {
        if (failed_)
            return crypto_error("layer used after an error");
        if (input.size() < kTlsRecordHeader)
            return OpenedRecord{};
        const std::uint8_t type = input[0];
        const std::size_t fragment = (std::size_t{input[3]} << 8) | input[4];
        if (input[1] != kTls12Major || input[2] != kTls12Minor)
            return fail("has version " + std::to_string(input[1]) + "." + std::to_string(input[2]) +
                        ", expected TLS 1.2 (3.3)");
        if (type == 22)
            return fail("is a handshake message after the handshake (renegotiation is not supported)");
        if (type != kTlsContentApplicationData && type != kTlsContentAlert)
            return fail("has unexpected content type " + std::to_string(type));
        const std::size_t explicit_size = read_.gcm() ? kGcmExplicitNonce : 0;
        if (fragment > kMaxCiphertextFragment || fragment < explicit_size + kTagSize)
            return fail("length " + std::to_string(fragment) + " is out of range");
        const std::size_t plaintext_size = fragment - explicit_size - kTagSize;
        if (plaintext_size > kTlsMaxPlaintext)
            return fail("plaintext of " + std::to_string(plaintext_size) + " bytes exceeds 16 KiB");
        if (input.size() < kTlsRecordHeader + fragment)
            return OpenedRecord{};
        if (out.size() < plaintext_size)
            return crypto_error("output buffer too small");
        const std::uint8_t* explicit_nonce = input.data() + kTlsRecordHeader;
        const std::uint8_t* body = explicit_nonce + explicit_size;
        if (read_.sequence() == UINT64_MAX)
            return fail("sequence number exhausted");
        if (!read_.begin(explicit_nonce, type, plaintext_size) ||
            !read_.open(body, plaintext_size, body + plaintext_size, out.data())) {
            return fail("failed authentication (bad_record_mac): corrupted or forged data");
        }
        return OpenedRecord{kTlsRecordHeader + fragment, type, plaintext_size};
    }

  private:
    Error fail(const std::string& what) {
        failed_ = true;
        return crypto_error("from the server " + what);
    }

    Direction write_;
    Direction read_;
    bool failed_ = false;
};

}  // namespace

const char* aead_cipher_name(AeadCipher cipher) {
    switch (cipher) {
        case AeadCipher::aes128_gcm:
            return "AES-128-GCM";
        case AeadCipher::aes256_gcm:
            return "AES-256-GCM";
        case AeadCipher::chacha20_poly1305:
            return "ChaCha20-Poly1305";
    }
    return "?";
}

Result<std::unique_ptr<AeadRecordLayer>> AeadRecordLayer::create(const AeadTrafficKeys& keys) {
    auto layer = std::make_unique<OpensslRecordLayer>();
    if (auto status = layer->init(keys); !status)
        return std::move(status).error();
    return std::unique_ptr<AeadRecordLayer>(std::move(layer));
}

}  // namespace vpnse::tls
