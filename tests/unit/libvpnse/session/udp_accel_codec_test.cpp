#include <catch2/catch.hpp>

#include "session/udp_accel_codec.hpp"

using namespace vpnse;
using namespace vpnse::session::udp_accel;

namespace {
Bytes hex(std::string_view text) {
    Bytes out;
    REQUIRE(from_hex(text, out));
    return out;
}
Bytes counting(std::uint8_t first, std::size_t n) {
    Bytes out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<std::uint8_t>(first + i);
    return out;
}
DatagramCipher make(Version version, ByteSpan key, bool encrypted = true) {
    auto cipher = DatagramCipher::create(version, key, encrypted);
    REQUIRE(cipher.ok());
    return std::move(cipher).value();
}
const InnerHeader kVectorHeader{0x11223344, 0x1000, 0x2000, false};

// Every truncation and every single-bit flip of `datagram` must be refused.
void check_tamper_refused(DatagramCipher& cipher, const Bytes& datagram) {
    for (std::size_t length = 0; length < datagram.size(); ++length)
        CHECK_FALSE(cipher.open(ByteSpan(datagram).first(length)).has_value());
    for (std::size_t bit = 0; bit < datagram.size() * 8; ++bit) {
        Bytes flipped = datagram;
        flipped[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
        INFO("bit " << bit);
        CHECK_FALSE(cipher.open(flipped).has_value());
    }
}
}  // namespace

TEST_CASE("V2 keep-alive vector (1.5.7)") {
    const Bytes key = counting(0x00, 128);
    auto cipher = make(Version::v2, key);
    Bytes out;
    cipher.seal(counting(0xa0, 12), kVectorHeader, {}, 0, out);
    CHECK(to_hex(out) ==
          "a0a1a2a3a4a5a6a7a8a9aaab1d894b1b4de6c2ada00fe314fcfafdfb9d5ef3bf436a60725248dc271988f93aee0739cc2b"
          "12c3");
    auto opened = make(Version::v2, key).open(out);
    REQUIRE(opened);
    CHECK(opened->header.cookie == 0x11223344);
    CHECK(opened->header.my_tick == 0x1000);
    CHECK(opened->header.your_tick == 0x2000);
    CHECK(opened->payload.empty());
}

TEST_CASE("V2 chained data vector with padding (1.5.7)") {
    const Bytes key = counting(0x00, 128);
    auto cipher = make(Version::v2, key);
    const Bytes first =
        hex("a0a1a2a3a4a5a6a7a8a9aaab1d894b1b4de6c2ada00fe314fcfafdfb9d5ef3bf436a60725248dc271988f93aee0739cc"
            "2b12c3");
    const Bytes payload = hex("deadbeef");
    Bytes out;
    cipher.seal(ByteSpan(first).subspan(12, 12), {0x11223344, 0x1001, 0x2001, false}, payload, 2, out);
    CHECK(
        to_hex(out) ==
        "1d894b1b4de6c2ada00fe314c9833535a2d3ce1a12cbb1efd368e496e1d4c9c591c230043780d8e8bef5c9fd513d7f839471"
        "66d79712c1fa6b");
    auto receiver = make(Version::v2, ByteSpan(key).first(32));  // the 32 used bytes work the same
    auto opened = receiver.open(out);
    REQUIRE(opened);
    CHECK(Bytes(opened->payload.begin(), opened->payload.end()) == payload);
    CHECK(opened->header.my_tick == 0x1001);
    check_tamper_refused(receiver, out);
}

TEST_CASE("V1 keep-alive vector (1.5.7)") {
    const Bytes key = counting(0x40, 20);
    auto cipher = make(Version::v1, key);
    Bytes out;
    cipher.seal(counting(0x60, 20), kVectorHeader, {}, 0, out);
    CHECK(
        to_hex(out) ==
        "606162636465666768696a6b6c6d6e6f707172731172b59e8833d36d2cffc12b87190060899fcfaf0f100b3ec47799f3153b"
        "084fe47d0fe04fe0de7964a316");
    auto receiver = make(Version::v1, key);
    auto opened = receiver.open(out);
    REQUIRE(opened);
    CHECK(opened->header.cookie == 0x11223344);
    CHECK(opened->header.your_tick == 0x2000);
    // Every truncation moves the verify block: refused.
    for (std::size_t length = 0; length < out.size(); ++length)
        CHECK_FALSE(receiver.open(ByteSpan(out).first(length)).has_value());
    // V1 has no MAC: RC4 is malleable, so a flip inside the inner block flips the same plaintext bit
    // (protocol-decisions.md). Flips in the IV or the verify block are refused; a flip in the cookie
    // fails the state machine's cookie check; the rest cannot be detected by any V1 receiver.
    for (std::size_t bit = 0; bit < out.size() * 8; ++bit) {
        Bytes flipped = out;
        flipped[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
        const std::size_t byte = bit / 8;
        INFO("bit " << bit);
        auto result = receiver.open(flipped);
        if (byte < kV1IvSize || byte >= kV1IvSize + kInnerHeaderSize) {
            CHECK_FALSE(result.has_value());
        } else if (byte < kV1IvSize + 4) {
            REQUIRE(result.has_value());
            CHECK(result->header.cookie != 0x11223344);
        }
    }
}

TEST_CASE("any padding opens, in V1 and V2; a wrong key never does") {
    SeededRandom rng(3);
    const Bytes frame(1514, 0x5a);
    for (auto version : {Version::v1, Version::v2}) {
        const Bytes key = counting(7, version == Version::v1 ? kV1KeySize : kV2KeySize);
        auto sender = make(version, key);
        auto receiver = make(version, key);
        Bytes other_key = key;
        other_key[0] ^= 1;
        auto stranger = make(version, other_key);
        for (std::size_t padding = 0; padding < kMaxPadding; ++padding) {
            Bytes out;
            sender.seal(Bytes(sender.iv_size(), static_cast<std::uint8_t>(padding)),
                        {9, 1 + padding, 0, false}, frame, padding, out);
            CHECK(out.size() == sender.overhead() + kInnerHeaderSize + frame.size() + padding);
            auto opened = receiver.open(out);
            REQUIRE(opened);
            CHECK(opened->payload.size() == frame.size());
            CHECK(opened->header.my_tick == 1 + padding);
            CHECK_FALSE(stranger.open(out));
        }
    }
}

TEST_CASE("seal_next: fresh nonces, the padding rule, and keep-alive sizes as the doc measured") {
    SeededRandom rng(11);
    for (auto version : {Version::v1, Version::v2}) {
        const Bytes key(version == Version::v1 ? kV1KeySize : kV2KeySize, 0x33);
        auto sender = make(version, key);
        auto receiver = make(version, key);
        Bytes previous_iv;
        for (int i = 0; i < 200; ++i) {
            Bytes out;
            sender.seal_next({5, std::uint64_t(i + 1), 0, false}, {}, 1000, Padding::random, rng, out);
            // V2 keep-alive 51..82 bytes, V1 63..94 (1.5.2, 1.5.3).
            const std::size_t base = version == Version::v1 ? 63 : 51;
            CHECK(out.size() >= base);
            CHECK(out.size() < base + kMaxPadding);
            const Bytes iv(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(sender.iv_size()));
            CHECK(iv != previous_iv);
            previous_iv = iv;
            REQUIRE(receiver.open(out));
        }
        // A full datagram gets no padding.
        Bytes out;
        sender.seal_next({5, 1, 0, false}, Bytes(1426, 0), 1426, Padding::random, rng, out);
        CHECK(out.size() == sender.overhead() + kInnerHeaderSize + 1426);
    }
}

TEST_CASE("bucketed padding: data datagrams end on a multiple of 32 below the limit, and open") {
    CHECK(bucket_padding_for(51, 1426) == 13);
    CHECK(bucket_padding_for(64, 1426) == 0);
    CHECK(bucket_padding_for(65, 1426) == 31);
    CHECK(bucket_padding_for(1420, 1426) == 6);  // the limit, not the bucket's end
    CHECK(bucket_padding_for(1426, 1426) == 0);
    CHECK(bucket_padding_for(1465, 1426) == 0);
    SeededRandom rng(3);
    for (auto version : {Version::v1, Version::v2}) {
        const Bytes key(version == Version::v1 ? kV1KeySize : kV2KeySize, 0x44);
        auto sender = make(version, key);
        auto receiver = make(version, key);
        std::size_t previous = 0;
        for (std::size_t frame = 60; frame <= 1500; ++frame) {
            Bytes out;
            sender.seal_next({5, frame, 0, false}, Bytes(frame, 0x5a), 1426, Padding::bucketed, rng, out);
            const std::size_t length = sender.overhead() + kInnerHeaderSize + frame;
            CHECK(out.size() ==
                  (length >= 1426 ? length : std::min<std::size_t>((length + 31) / 32 * 32, 1426)));
            CHECK(out.size() >= previous);  // a larger frame never makes a smaller datagram
            previous = out.size();
            auto opened = receiver.open(out);
            REQUIRE(opened);
            CHECK(opened->payload.size() == frame);
        }
        // Equal frames make equal datagrams, which is what lets the sender segment a run of them.
        Bytes first, second;
        sender.seal_next({5, 1, 0, false}, Bytes(106, 1), 1426, Padding::bucketed, rng, first);
        sender.seal_next({5, 2, 0, false}, Bytes(106, 2), 1426, Padding::bucketed, rng, second);
        CHECK(first.size() == second.size());
    }
}

TEST_CASE("plaintext mode: header and payload only") {
    auto cipher = make(Version::v2, {}, false);
    const Bytes payload = hex("0102030405");
    Bytes out;
    SeededRandom rng(1);
    cipher.seal_next(kVectorHeader, payload, 1000, Padding::bucketed, rng, out);
    CHECK(out.size() == kInnerHeaderSize + payload.size());
    auto opened = cipher.open(out);
    REQUIRE(opened);
    CHECK(Bytes(opened->payload.begin(), opened->payload.end()) == payload);
    // A size beyond the datagram is refused; truncated headers too.
    for (std::size_t length = 0; length < out.size(); ++length)
        CHECK_FALSE(cipher.open(ByteSpan(out).first(length)));
}

TEST_CASE("keys of the wrong size are refused with the size named") {
    auto v1 = DatagramCipher::create(Version::v1, Bytes(19, 0), true);
    REQUIRE_FALSE(v1.ok());
    CHECK(v1.error().message().find("19") != std::string::npos);
    CHECK_FALSE(DatagramCipher::create(Version::v2, Bytes(64, 0), true).ok());
    CHECK(DatagramCipher::create(Version::v2, Bytes(64, 0), false).ok());
}
