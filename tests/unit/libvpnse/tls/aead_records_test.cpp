#include <mbedtls/chachapoly.h>
#include <mbedtls/gcm.h>

#include <catch2/catch.hpp>

#include "tls/aead_records.hpp"

using namespace vpnse;
using tls::AeadCipher;
using tls::AeadRecordLayer;
using tls::AeadTrafficKeys;

namespace {

Bytes pattern(std::size_t size, std::uint8_t seed) {
    Bytes out(size);
    for (std::size_t i = 0; i < size; ++i)
        out[i] = static_cast<std::uint8_t>(seed + i * 13);
    return out;
}

std::size_t key_size(AeadCipher cipher) {
    return cipher == AeadCipher::aes128_gcm ? 16 : 32;
}
std::size_t iv_size(AeadCipher cipher) {
    return cipher == AeadCipher::chacha20_poly1305 ? 12 : 4;
}

// The two ends of one connection: the client's write keys are the server's read keys.
struct Pair {
    std::unique_ptr<AeadRecordLayer> client, server;
    AeadTrafficKeys client_keys;
};

Pair make_pair(AeadCipher cipher, std::uint64_t seq = 1) {
    AeadTrafficKeys c;
    c.cipher = cipher;
    c.write = {pattern(key_size(cipher), 1), pattern(iv_size(cipher), 2), seq};
    c.read = {pattern(key_size(cipher), 3), pattern(iv_size(cipher), 4), seq};
    AeadTrafficKeys s = c;
    std::swap(s.write, s.read);
    auto client = AeadRecordLayer::create(c);
    auto server = AeadRecordLayer::create(s);
    REQUIRE(client);
    REQUIRE(server);
    return {std::move(client).value(), std::move(server).value(), c};
}

void put_u64(std::uint8_t* p, std::uint64_t v) {
    for (int i = 7; i >= 0; --i, v >>= 8)
        p[i] = static_cast<std::uint8_t>(v);
}

// The record as RFC 5246 6.2.3.3 + RFC 5288 / RFC 7905 define it, computed with mbedTLS's own
// GCM and ChaCha20-Poly1305: an implementation independent of the one under test.
Bytes reference_record(AeadCipher cipher, const tls::AeadDirectionKeys& keys, std::uint8_t type,
                       const Bytes& plaintext) {
    std::uint8_t aad[13];
    put_u64(aad, keys.sequence);
    aad[8] = type, aad[9] = 3, aad[10] = 3;
    aad[11] = static_cast<std::uint8_t>(plaintext.size() >> 8);
    aad[12] = static_cast<std::uint8_t>(plaintext.size());
    std::uint8_t nonce[12];
    Bytes body(plaintext.size());
    std::uint8_t tag[16];
    Bytes explicit_nonce;
    if (cipher == AeadCipher::chacha20_poly1305) {
        std::memcpy(nonce, keys.implicit_iv.data(), 12);
        std::uint8_t seq[8];
        put_u64(seq, keys.sequence);
        for (int i = 0; i < 8; ++i)
            nonce[4 + i] ^= seq[i];
        mbedtls_chachapoly_context ctx;
        mbedtls_chachapoly_init(&ctx);
        REQUIRE(mbedtls_chachapoly_setkey(&ctx, keys.key.data()) == 0);
        REQUIRE(mbedtls_chachapoly_encrypt_and_tag(&ctx, plaintext.size(), nonce, aad, 13, plaintext.data(),
                                                   body.data(), tag) == 0);
        mbedtls_chachapoly_free(&ctx);
    } else {
        explicit_nonce.resize(8);
        put_u64(explicit_nonce.data(), keys.sequence);
        std::memcpy(nonce, keys.implicit_iv.data(), 4);
        std::memcpy(nonce + 4, explicit_nonce.data(), 8);
        mbedtls_gcm_context ctx;
        mbedtls_gcm_init(&ctx);
        REQUIRE(mbedtls_gcm_setkey(&ctx, MBEDTLS_CIPHER_ID_AES, keys.key.data(),
                                   static_cast<unsigned>(keys.key.size() * 8)) == 0);
        REQUIRE(mbedtls_gcm_crypt_and_tag(&ctx, MBEDTLS_GCM_ENCRYPT, plaintext.size(), nonce, 12, aad, 13,
                                          plaintext.data(), body.data(), 16, tag) == 0);
        mbedtls_gcm_free(&ctx);
    }
    const std::size_t fragment = explicit_nonce.size() + body.size() + 16;
    Bytes record = {type, 3, 3, static_cast<std::uint8_t>(fragment >> 8),
                    static_cast<std::uint8_t>(fragment)};
    record.insert(record.end(), explicit_nonce.begin(), explicit_nonce.end());
    record.insert(record.end(), body.begin(), body.end());
    record.insert(record.end(), tag, tag + 16);
    return record;
}

const AeadCipher kCiphers[] = {AeadCipher::aes128_gcm, AeadCipher::aes256_gcm, AeadCipher::chacha20_poly1305};

}  // namespace

TEST_CASE("AEAD records: byte-exact against an independent AES-GCM / ChaCha20-Poly1305", "[tls]") {
    for (auto cipher : kCiphers) {
        CAPTURE(tls::aead_cipher_name(cipher));
        auto pair = make_pair(cipher, 1);
        auto keys = pair.client_keys.write;
        for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{1500}, std::size_t{16384}}) {
            const Bytes plaintext = pattern(size, static_cast<std::uint8_t>(size));
            Bytes sealed;
            REQUIRE(pair.client->seal(plaintext, sealed));
            CHECK(sealed == reference_record(cipher, keys, 23, plaintext));
            CHECK(sealed.size() == size + pair.client->overhead());
            ++keys.sequence;
        }
    }
}

TEST_CASE("AEAD records: round trip, splitting at 16 KiB, sequence numbers advance", "[tls]") {
    for (auto cipher : kCiphers) {
        CAPTURE(tls::aead_cipher_name(cipher));
        auto pair = make_pair(cipher, 7);
        const Bytes big = pattern(40000, 9);  // 16384 + 16384 + 7232
        Bytes wire;
        REQUIRE(pair.client->seal(big, wire));
        REQUIRE(pair.client->seal(pattern(3, 1), wire));
        Bytes received;
        Bytes out(tls::kTlsMaxPlaintext);
        std::size_t offset = 0;
        int records = 0;
        while (offset < wire.size()) {
            auto opened = pair.server->open(ByteSpan(wire).subspan(offset), out);
            REQUIRE(opened);
            REQUIRE(opened->consumed > 0);
            CHECK(opened->content_type == 23);
            CHECK(opened->plaintext_size <= tls::kTlsMaxPlaintext);
            received.insert(received.end(), out.begin(),
                            out.begin() + static_cast<std::ptrdiff_t>(opened->plaintext_size));
            offset += opened->consumed;
            ++records;
        }
        CHECK(records == 4);
        Bytes expected = big;
        const Bytes tail = pattern(3, 1);
        expected.insert(expected.end(), tail.begin(), tail.end());
        CHECK(received == expected);

        // And the other way, with an alert record.
        Bytes back;
        const std::uint8_t alert[2] = {1, 0};
        REQUIRE(pair.server->seal(alert, back, tls::kTlsContentAlert));
        auto opened = pair.client->open(back, out);
        REQUIRE(opened);
        CHECK(opened->content_type == tls::kTlsContentAlert);
        CHECK(opened->plaintext_size == 2);
        CHECK(out[0] == 1);
        CHECK(out[1] == 0);
    }
}

TEST_CASE("AEAD records: every truncation waits for more input", "[tls]") {
    for (auto cipher : kCiphers) {
        auto pair = make_pair(cipher);
        Bytes wire;
        REQUIRE(pair.client->seal(pattern(100, 5), wire));
        Bytes out(tls::kTlsMaxPlaintext);
        for (std::size_t cut = 0; cut < wire.size(); ++cut) {
            auto opened = pair.server->open(ByteSpan(wire.data(), cut), out);
            REQUIRE(opened);
            CHECK(opened->consumed == 0);
        }
        auto opened = pair.server->open(wire, out);
        REQUIRE(opened);
        CHECK(opened->consumed == wire.size());
    }
}

TEST_CASE("AEAD records: any flipped bit fails authentication, and the layer stays failed", "[tls]") {
    for (auto cipher : kCiphers) {
        CAPTURE(tls::aead_cipher_name(cipher));
        const Bytes plaintext = pattern(64, 3);
        Bytes wire;
        {
            auto pair = make_pair(cipher);
            REQUIRE(pair.client->seal(plaintext, wire));
        }
        // Content type and the length are checked separately; flip everything from the version on.
        for (std::size_t i = 1; i < wire.size(); ++i) {
            if (i == 3 || i == 4)
                continue;
            for (int bit : {0, 7}) {
                auto pair = make_pair(cipher);
                Bytes bad = wire;
                bad[i] ^= static_cast<std::uint8_t>(1u << bit);
                Bytes out(tls::kTlsMaxPlaintext);
                auto opened = pair.server->open(bad, out);
                CAPTURE(i, bit);
                REQUIRE_FALSE(opened);
                CHECK(opened.error().code() == ErrorCode::tls_failed);
                // The genuine record is refused too: the connection is over.
                CHECK_FALSE(pair.server->open(wire, out));
            }
        }
        // A replayed record (the receiver's sequence number moved on) fails as well.
        auto pair = make_pair(cipher);
        Bytes out(tls::kTlsMaxPlaintext);
        REQUIRE(pair.server->open(wire, out));
        auto replay = pair.server->open(wire, out);
        REQUIRE_FALSE(replay);
        CHECK_THAT(replay.error().message(), Catch::Contains("bad_record_mac"));
    }
}

TEST_CASE("AEAD records: malformed headers are named", "[tls]") {
    auto pair = make_pair(AeadCipher::aes256_gcm);
    Bytes out(tls::kTlsMaxPlaintext);
    auto expect_error = [&](Bytes record, const char* text) {
        auto fresh = make_pair(AeadCipher::aes256_gcm);
        auto opened = fresh.server->open(record, out);
        REQUIRE_FALSE(opened);
        CHECK_THAT(opened.error().message(), Catch::Contains(text));
    };
    expect_error({23, 3, 1, 0, 40}, "version 3.1");
    expect_error({22, 3, 3, 0, 40}, "renegotiation");
    expect_error({24, 3, 3, 0, 40}, "content type 24");
    expect_error({23, 3, 3, 0, 23}, "length 23");            // shorter than explicit nonce + tag
    expect_error({23, 3, 3, 0x48, 0x01}, "length 18433");    // above 2^14 + 2048
    expect_error({23, 3, 3, 0x40, 0x19}, "exceeds 16 KiB");  // 16384 + 1 + 24 bytes
    // A too-small output buffer is a caller error, not the server's.
    Bytes wire;
    REQUIRE(pair.client->seal(pattern(100, 1), wire));
    Bytes small(50);
    CHECK_FALSE(pair.server->open(wire, small));
}

TEST_CASE("AEAD records: keys that do not fit the cipher are refused", "[tls]") {
    AeadTrafficKeys keys;
    keys.cipher = AeadCipher::aes128_gcm;
    keys.write = {pattern(32, 1), pattern(4, 2), 1};
    keys.read = {pattern(16, 1), pattern(4, 2), 1};
    auto layer = AeadRecordLayer::create(keys);
    REQUIRE_FALSE(layer);
    CHECK_THAT(layer.error().message(), Catch::Contains("AES-128-GCM"));
    keys.cipher = AeadCipher::chacha20_poly1305;
    keys.write = {pattern(32, 1), pattern(4, 2), 1};  // ChaCha20 needs a 12-byte IV
    keys.read = keys.write;
    CHECK_FALSE(AeadRecordLayer::create(keys));
}
