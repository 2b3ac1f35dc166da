#pragma once
// The TLS 1.2 AEAD record layer (RFC 5246 6.2, RFC 5288 for AES-GCM, RFC 7905 for ChaCha20-Poly1305)
// on OpenSSL's libcrypto, for the data phase of a session whose handshake mbedTLS did. mbedTLS 2.28's
// ciphers run at 0.22-0.34 GB/s per core here, libcrypto's AES-GCM at ~4 GB/s (docs/performance.md),
// and the data channel spends most of its CPU in the cipher. Sans-I/O like the rest of tls/.
#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "core/bytes.hpp"
#include "vpnse/result.hpp"

namespace vpnse::tls {

enum class AeadCipher { aes128_gcm, aes256_gcm, chacha20_poly1305 };

// One direction's traffic secret: the key and the implicit IV from the key block (4 bytes for
// AES-GCM, 12 for ChaCha20-Poly1305), and the sequence number of the next record.
struct AeadDirectionKeys {
    Bytes key;
    Bytes implicit_iv;
    std::uint64_t sequence = 0;
};

struct AeadTrafficKeys {
    AeadCipher cipher = AeadCipher::aes256_gcm;
    AeadDirectionKeys write;
    AeadDirectionKeys read;
};

inline constexpr std::size_t kTlsMaxPlaintext = 16384;
inline constexpr std::size_t kTlsRecordHeader = 5;
inline constexpr std::uint8_t kTlsContentAlert = 21;
inline constexpr std::uint8_t kTlsContentApplicationData = 23;

struct OpenedRecord {
    std::size_t consumed = 0;  // bytes of the input the record took; 0 = incomplete, feed more
    std::uint8_t content_type = 0;
    std::size_t plaintext_size = 0;  // written to the front of `out`
};

class AeadRecordLayer {
  public:
    virtual ~AeadRecordLayer() = default;
    // Errors: tls_failed when the cipher or keys do not fit together, or libcrypto refuses them.
    static Result<std::unique_ptr<AeadRecordLayer>> create(const AeadTrafficKeys& keys);

    // Appends `plaintext` to `out` as records of `content_type`, each carrying at most 16 KiB.
    virtual Status seal(ByteSpan plaintext, Bytes& out,
                        std::uint8_t content_type = kTlsContentApplicationData) = 0;
    // Decrypts the record at the front of `input` into `out`, which must hold kTlsMaxPlaintext bytes.
    // A record that is malformed, too long, of an unexpected version, or fails authentication is an
    // error (tls_failed naming what was wrong); after an error the layer must not be used again.
    virtual Result<OpenedRecord> open(ByteSpan input, std::span<std::uint8_t> out) = 0;

    // Bytes a record adds around its plaintext (header, explicit nonce, tag).
    virtual std::size_t overhead() const = 0;
};

const char* aead_cipher_name(AeadCipher cipher);

}  // namespace vpnse::tls
