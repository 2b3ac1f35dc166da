#pragma once
// UDP acceleration datagrams (softether-protocol-advanced.md 1.5): one Ethernet frame or a keep-alive
// per datagram, sealed with V2 (ChaCha20-Poly1305), V1 (RC4 keyed by SHA-1 + a zero verify block) or
// nothing (plaintext mode). Sans-I/O: bytes in, bytes out; cookies, ticks and timers are udp_accel.hpp's.
// The ciphers run on libcrypto like tls/aead_records: mbedTLS 2.28's ChaCha20 is an order of magnitude
// slower (docs/performance.md) and the cipher is the fast path's main cost.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "core/bytes.hpp"
#include "core/random.hpp"
#include "vpnse/result.hpp"

namespace vpnse::session::udp_accel {

enum class Version : std::uint8_t { v1 = 1, v2 = 2 };

inline constexpr std::size_t kV1KeySize = 20;        // udp_acceleration_{client,server}_key
inline constexpr std::size_t kV2KeySize = 128;       // udp_acceleration_{client,server}_key_v2
inline constexpr std::size_t kV2CipherKeySize = 32;  // only the first 32 bytes of the V2 key are used
inline constexpr std::size_t kV1IvSize = 20;
inline constexpr std::size_t kV1VerifySize = 20;
inline constexpr std::size_t kV2NonceSize = 12;
inline constexpr std::size_t kV2TagSize = 16;
inline constexpr std::size_t kInnerHeaderSize = 23;  // cookie, my_tick, your_tick, size, flag
inline constexpr std::size_t kMaxPadding = 32;       // padding is rand() % min(room, 32): at most 31
inline constexpr std::size_t kMaxFrameSize = 1600;   // larger received frames are dropped (1.9)

struct InnerHeader {
    std::uint32_t cookie = 0;     // the receiver's cookie
    std::uint64_t my_tick = 0;    // the sender's ms tick, never 0
    std::uint64_t your_tick = 0;  // the highest tick the sender has had from its peer, 0 if none
    bool compressed = false;      // flag 1: zlib payload (only with a compressed session)
};

struct OpenedDatagram {
    InnerHeader header;
    ByteSpan payload;  // into the cipher's buffer: valid until its next open(); empty = keep-alive
};

// One direction's datagram cipher: a sender's seals with its own key, a receiver's opens with the
// peer's. Not thread-safe; one per direction.
// How seal_next pads: `random` is the official rule of 1.5.5 (keep-alives), `bucketed` the data rule below.
enum class Padding { random, bucketed };

class DatagramCipher {
  public:
    ~DatagramCipher();
    DatagramCipher(DatagramCipher&&) noexcept;
    DatagramCipher& operator=(DatagramCipher&&) noexcept;

    // `key`: 20 bytes for V1, 128 (or just the 32 used) for V2; unused in plaintext mode.
    // Errors: invalid_argument naming the key size that does not fit; tls_failed if libcrypto refuses.
    static Result<DatagramCipher> create(Version version, ByteSpan key, bool encrypted);

    Version version() const { return version_; }
    bool encrypted() const { return encrypted_; }
    // The IV (V1) or nonce (V2) size seal() takes; 0 in plaintext mode.
    std::size_t iv_size() const;
    // Bytes around the inner block: IV + verify block (V1), nonce + tag (V2), 0 (plaintext).
    std::size_t overhead() const;

    // Appends one datagram: `iv` (iv_size() bytes), the header, the payload and `padding` zero bytes
    // (ignored in plaintext mode). The payload must be at most 65535 bytes.
    void seal(ByteSpan iv, const InnerHeader& header, ByteSpan payload, std::size_t padding, Bytes& out);
    // Appends one datagram with the sender's own IV choice (V2: a random 4-byte prefix and a 64-bit
    // counter; V1: the official chain, the previous datagram's last 20 bytes) and padding by `rule` for a
    // datagram of at most `max_size` bytes.
    void seal_next(const InnerHeader& header, ByteSpan payload, std::size_t max_size, Padding rule,
                   RandomSource& rng, Bytes& out);

    // Decrypts and checks one received datagram. nullopt: too short, failed authentication or the V1
    // verify block, or a header whose size does not fit. Never reads outside `datagram`.
    std::optional<OpenedDatagram> open(ByteSpan datagram);

  private:
    struct Crypto;
    DatagramCipher(Version version, bool encrypted);

    Version version_;
    bool encrypted_;
    std::unique_ptr<Crypto> crypto_;
    Bytes plain_;    // open()'s output buffer
    Bytes next_iv_;  // seal_next()'s IV state; empty until the first datagram
    std::uint64_t nonce_counter_ = 0;
};

// 1.5.5: the padding for a datagram of `length` bytes (all overhead included) and a size limit.
std::size_t padding_for(std::size_t length, std::size_t max_size, RandomSource& rng);
// The data datagrams' padding: up to the next multiple of kMaxPadding (at most 31 bytes, within
// max_size, none at or above it). It hides a frame's exact size as well as 1.5.5's random amount does,
// and frames of one size class then make datagrams of one size, which the sender can hand to the kernel
// as one segmented send (transport/datagram_io.hpp). Receivers accept any padding (1.5.5).
std::size_t bucket_padding_for(std::size_t length, std::size_t max_size);

}  // namespace vpnse::session::udp_accel
