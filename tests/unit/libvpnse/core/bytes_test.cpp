#include <catch2/catch.hpp>

#include "core/bytes.hpp"

using namespace vpnse;

TEST_CASE("ByteReader reads big-endian and refuses to run past the end") {
    const Bytes data{0x00, 0x00, 0x01, 0xbb, 0xff, 0xfe};
    ByteReader reader(data);
    std::uint32_t v = 0;
    REQUIRE(reader.read_u32(v));
    CHECK(v == 443);
    std::uint16_t w = 0;
    REQUIRE(reader.read_u16(w));
    CHECK(w == 0xfffe);
    CHECK_FALSE(reader.read_u32(v));
    CHECK(reader.empty());
}

TEST_CASE("ByteWriter writes big-endian") {
    ByteWriter writer;
    writer.u32(0x01020304);
    writer.u16(0x0506);
    writer.u64(0x0708090a0b0c0d0eull);
    CHECK(to_hex(writer.buffer()) == "0102030405060708090a0b0c0d0e");
}

TEST_CASE("little-endian 16-bit values round trip") {
    std::uint8_t raw[2];
    store_le16(raw, 0x0102);
    CHECK(raw[0] == 0x02);
    CHECK(raw[1] == 0x01);
    CHECK(load_le16(raw) == 0x0102);
}

TEST_CASE("hex round trip accepts colons and rejects junk") {
    Bytes out;
    REQUIRE(from_hex("AB:cd:01", out));
    CHECK(to_hex(out) == "abcd01");
    CHECK_FALSE(from_hex("abc", out));
    CHECK_FALSE(from_hex("zz", out));
}
