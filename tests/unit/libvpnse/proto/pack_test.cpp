#include <catch2/catch.hpp>

#include "proto/pack.hpp"

using namespace vpnse;
using vpnse::proto::Pack;

namespace {

// softether-protocol.md 5.7: method=str "login", authtype=int 1, secure_password=data(20),
// t64=int64 0x0102030405060708, u=unistr "é", Port=int[443, 992]; 173 bytes.
const char* const kVectorHex =
    "00000006"
    "000000076d6574686f64"
    "00000002"
    "00000001"
    "000000056c6f67696e"
    "000000096175746874797065"
    "00000000"
    "00000001"
    "00000001"
    "000000107365637572655f70617373776f7264"
    "00000001"
    "00000001"
    "00000014"
    "cef1539dc29f6304887348dbf6c187345790765e"
    "00000004743634"
    "00000004"
    "00000001"
    "0102030405060708"
    "0000000275"
    "00000003"
    "00000001"
    "00000003c3a900"
    "00000005506f7274"
    "00000000"
    "00000002"
    "000001bb000003e0";

Bytes vector_bytes() {
    Bytes out;
    REQUIRE(from_hex(kVectorHex, out));
    return out;
}

Pack vector_pack() {
    Pack p;
    p.set_str("method", "login");
    p.set_int("authtype", 1);
    Bytes secure;
    REQUIRE(from_hex("cef1539dc29f6304887348dbf6c187345790765e", secure));
    p.set_data("secure_password", secure);
    p.set_int64("t64", 0x0102030405060708ull);
    p.set_unistr("u", "\xc3\xa9");
    const std::uint32_t ports[] = {443, 992};
    p.set_int_array("Port", ports);
    return p;
}

}  // namespace

TEST_CASE("PACK encodes the documented 173-byte vector byte for byte") {
    const auto wire = vector_pack().encode();
    CHECK(wire.size() == 173);
    CHECK(to_hex(wire) == to_hex(vector_bytes()));
}

TEST_CASE("PACK decodes the documented vector with every typed getter") {
    auto pack = Pack::decode(vector_bytes());
    REQUIRE(pack.ok());
    CHECK(pack->size() == 6);
    CHECK(pack->get_str("method") == std::optional<std::string_view>("login"));
    CHECK(pack->get_int("authtype") == 1u);
    REQUIRE(pack->get_data("secure_password"));
    CHECK(to_hex(*pack->get_data("secure_password")) == "cef1539dc29f6304887348dbf6c187345790765e");
    CHECK(pack->get_int64("t64") == 0x0102030405060708ull);
    CHECK(pack->get_unistr("u") == std::optional<std::string_view>("\xc3\xa9"));
    CHECK(pack->value_count("Port") == 2);
    CHECK(pack->get_int("Port", 0) == 443u);
    CHECK(pack->get_int("Port", 1) == 992u);
    CHECK_FALSE(pack->get_int("Port", 2));
    CHECK(pack->encode() == vector_bytes());
}

TEST_CASE("PACK names are case-insensitive and types are strict") {
    auto pack = Pack::decode(vector_bytes());
    REQUIRE(pack.ok());
    CHECK(pack->get_str("METHOD") == std::optional<std::string_view>("login"));
    CHECK(pack->get_int("AuthType") == 1u);
    CHECK_FALSE(pack->get_str("u"));        // an unistr is not a str
    CHECK_FALSE(pack->get_int("t64"));      // an int64 is not an int
    CHECK_FALSE(pack->get_data("method"));  // a str is not data
    CHECK_FALSE(pack->get_int("missing"));
    CHECK(pack->get_bool("missing", true));
}

TEST_CASE("PACK set_* replaces an element whatever the case of its name") {
    Pack p;
    p.set_str("hubname", "A");
    p.set_str("HubName", "B");
    CHECK(p.size() == 1);
    CHECK(p.get_str("hubname") == std::optional<std::string_view>("B"));
    p.remove("HUBNAME");
    CHECK(p.size() == 0);
}

TEST_CASE("PACK rejects duplicate names in any case mix") {
    Pack a;
    a.set_int("Name", 1);
    auto wire = a.encode();
    // Append a second element "NAME" and bump the count to 2.
    Pack b;
    b.set_int("NAME", 2);
    auto second = b.encode();
    wire.insert(wire.end(), second.begin() + 4, second.end());
    wire[3] = 2;
    auto decoded = Pack::decode(wire);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().code() == ErrorCode::malformed_input);
    CHECK_THAT(decoded.error().message(), Catch::Contains("NAME") && Catch::Contains("duplicate"));
}

TEST_CASE("PACK rejects zero name length, zero value count and unknown types") {
    Bytes zero_name;
    REQUIRE(
        from_hex("00000001"
                 "00000000",
                 zero_name));
    CHECK(Pack::decode(zero_name).error().code() == ErrorCode::malformed_input);

    Bytes zero_values;
    REQUIRE(
        from_hex("00000001"
                 "0000000278"
                 "00000000"
                 "00000000",
                 zero_values));
    CHECK_THAT(Pack::decode(zero_values).error().message(), Catch::Contains("zero value count"));

    Bytes bad_type;
    REQUIRE(
        from_hex("00000001"
                 "0000000278"
                 "00000005"
                 "00000001"
                 "00000000",
                 bad_type));
    CHECK_THAT(Pack::decode(bad_type).error().message(), Catch::Contains("unknown value type 5"));
}

TEST_CASE("PACK truncated at every offset is an error, never a crash") {
    const auto wire = vector_bytes();
    for (std::size_t n = 0; n < wire.size(); ++n) {
        auto decoded = Pack::decode(ByteSpan(wire.data(), n));
        INFO("length " << n);
        CHECK_FALSE(decoded.ok());
    }
}

TEST_CASE("PACK claims of huge counts or sizes fail without allocating them") {
    Bytes many_elements;
    REQUIRE(from_hex("7fffffff", many_elements));
    CHECK(Pack::decode(many_elements).error().code() == ErrorCode::limit_exceeded);

    Bytes many_values;
    REQUIRE(
        from_hex("00000001"
                 "0000000278"
                 "00000000"
                 "7fffffff",
                 many_values));
    CHECK(Pack::decode(many_values).error().code() == ErrorCode::limit_exceeded);

    Bytes huge_value;
    REQUIRE(
        from_hex("00000001"
                 "0000000278"
                 "00000001"
                 "00000001"
                 "7fffffff",
                 huge_value));
    CHECK(Pack::decode(huge_value).error().code() == ErrorCode::limit_exceeded);

    Bytes value_past_end;
    REQUIRE(
        from_hex("00000001"
                 "0000000278"
                 "00000001"
                 "00000001"
                 "00001000"
                 "aabb",
                 value_past_end));
    CHECK(Pack::decode(value_past_end).error().code() == ErrorCode::malformed_input);

    Bytes huge_name;
    REQUIRE(
        from_hex("00000001"
                 "ffffffff",
                 huge_name));
    CHECK_FALSE(Pack::decode(huge_name).ok());
}

TEST_CASE("PACK ignores bytes after the last element, like the server") {
    auto wire = vector_bytes();
    wire.push_back(0xde);
    wire.push_back(0xad);
    CHECK(Pack::decode(wire).ok());
}

TEST_CASE("PACK unistr sizes count the NUL that is sent; str sizes do not") {
    Pack p;
    p.set_unistr("u", "");
    p.set_str("s", "ab");
    auto wire = p.encode();
    // unistr "" is size 1 with a single 00 byte (5.2).
    CHECK(to_hex(wire).find("000000027500000003000000010000000100") != std::string::npos);
    CHECK(to_hex(wire).find("0000000273000000020000000100000002"
                            "6162") != std::string::npos);
    auto back = Pack::decode(wire);
    REQUIRE(back.ok());
    CHECK(back->get_unistr("u") == std::optional<std::string_view>(""));
}

TEST_CASE("PACK names longer than 63 characters are truncated on read") {
    Pack p;
    const std::string long_name(80, 'n');
    p.set_int(long_name, 7);
    auto back = Pack::decode(p.encode());
    REQUIRE(back.ok());
    CHECK(back->get_int(std::string(63, 'n')) == 7u);
}

TEST_CASE("PACK set_ip writes the four-element form with the IPv4 octets reversed") {
    Pack p;
    p.set_ip("ip", IpAddress::v4(10, 77, 0, 1));
    CHECK(p.size() == 4);
    CHECK(p.get_int("ip") == 0x01004D0Au);  // 5.6: 10.77.0.1 travels as bytes 01 00 4d 0a
    CHECK(p.get_bool("ip@ipv6_bool", true) == false);
    REQUIRE(p.get_data("ip@ipv6_array"));
    CHECK(p.get_data("ip@ipv6_array")->size() == 16);
    CHECK(p.get_ip("ip") == IpAddress::v4(10, 77, 0, 1));
}

TEST_CASE("PACK set_ip and get_ip: IPv6 in the array, the int 0") {
    const auto v6 = *IpAddress::parse("fd77:250:1::1");
    Pack p;
    p.set_ip("ip", v6);
    CHECK(p.get_int("ip") == 0u);
    CHECK(p.get_bool("ip@ipv6_bool"));
    REQUIRE(p.get_data("ip@ipv6_array"));
    CHECK(Bytes(p.get_data("ip@ipv6_array")->begin(), p.get_data("ip@ipv6_array")->end()) ==
          Bytes(v6.bytes().begin(), v6.bytes().end()));
    CHECK(p.get_ip("ip") == v6);
    auto back = Pack::decode(p.encode());
    REQUIRE(back.ok());
    CHECK(back->get_ip("ip") == v6);
}

TEST_CASE("PACK get_ip: a server's IPv4 form without the extra elements, and malformed forms") {
    Pack bare;
    bare.set_int("ip", 0x01004D0Au);  // PackAddIp32 and older servers: the int alone
    CHECK(bare.get_ip("ip") == IpAddress::v4(10, 77, 0, 1));
    CHECK_FALSE(Pack{}.get_ip("ip"));
    Pack short_array;
    short_array.set_bool("ip@ipv6_bool", true);
    short_array.set_data("ip@ipv6_array", Bytes(15, 0));
    short_array.set_int("ip", 0);
    CHECK_FALSE(short_array.get_ip("ip"));
    Pack no_array;
    no_array.set_bool("ip@ipv6_bool", true);
    CHECK_FALSE(no_array.get_ip("ip"));
}
