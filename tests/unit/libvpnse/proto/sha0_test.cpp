#include <catch2/catch.hpp>

#include "proto/password.hpp"
#include "proto/sha0.hpp"

using namespace vpnse;

namespace {
std::string sha0_hex(std::string_view text) {
    return to_hex(proto::sha0(as_bytes(text)));
}
}  // namespace

TEST_CASE("SHA-0 matches the FIPS 180 vectors (softether-protocol.md 7.1)") {
    CHECK(sha0_hex("abc") == "0164b8a914cd2a5e74c4f7ff082c4d97f1edf880");
    CHECK(sha0_hex("") == "f96cea198ad1dd5617ac084a3d92c6107708c0ef");
    CHECK(sha0_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "d2516ee1acfa5baf33dfc1c471e438449ef134c8");
}

TEST_CASE("SHA-0 of one million 'a' is the same whatever the chunking") {
    const std::string million(1000000, 'a');
    CHECK(sha0_hex(million) == "3232affa48628a26653b5aaa44541fd90d690603");
    proto::Sha0 hash;
    std::size_t offset = 0, step = 1;
    while (offset < million.size()) {
        const std::size_t n = std::min(step, million.size() - offset);
        hash.update(as_bytes(std::string_view(million).substr(offset, n)));
        offset += n;
        step = step * 7 % 1000 + 1;
    }
    CHECK(to_hex(hash.finish()) == "3232affa48628a26653b5aaa44541fd90d690603");
}

TEST_CASE("password hashing matches the documented vectors (7.4)") {
    CHECK(to_hex(proto::hash_password("alice", "secret")) == "0e782dacdb78918d73007999da81bc408906d451");
    CHECK(to_hex(proto::hash_password("ALICE", "secret")) == "0e782dacdb78918d73007999da81bc408906d451");
    CHECK(to_hex(proto::hash_password("alice", "")) == "6a18e99e88f473726bc3b5e1e9d6836529c49a80");
    Bytes random;
    REQUIRE(from_hex("0102030405060708090a0b0c0d0e0f1011121314", random));
    const auto hash = proto::hash_password("alice", "secret");
    CHECK(to_hex(proto::secure_password(hash, random)) == "cef1539dc29f6304887348dbf6c187345790765e");
    const std::array<std::uint8_t, 20> zeros{};
    CHECK(to_hex(proto::secure_password(hash, zeros)) == "48c11a59c8ad6792b35508cda6c7334b4966fe98");
}

TEST_CASE("only ASCII a-z is upper-cased in the user name") {
    // "é" stays as it is, so the two spellings hash differently.
    CHECK(proto::hash_password("\xc3\xa9", "x") != proto::hash_password("\xc3\x89", "x"));
    CHECK(proto::hash_password("bob", "p") == proto::hash_password("BoB", "p"));
}
