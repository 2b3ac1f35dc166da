#include <catch2/catch.hpp>

#include "platform/ip.hpp"

using vpnse::platform::Cidr;
using vpnse::platform::IpAddress;
using vpnse::platform::IpFamily;
using vpnse::platform::subtract_cidrs;

namespace {

Cidr cidr(const char* text) {
    auto c = Cidr::parse(text);
    REQUIRE(c.ok());
    return *c;
}

std::vector<std::string> texts(const std::vector<Cidr>& v) {
    std::vector<std::string> out;
    for (const auto& c : v)
        out.push_back(c.to_string());
    return out;
}

}  // namespace

TEST_CASE("IP addresses parse and print in both families") {
    auto v4 = IpAddress::parse("10.8.0.1");
    REQUIRE(v4.ok());
    CHECK(v4->family() == IpFamily::v4);
    CHECK(v4->to_string() == "10.8.0.1");
    auto v6 = IpAddress::parse("2001:DB8:0:0::1");
    REQUIRE(v6.ok());
    CHECK(v6->family() == IpFamily::v6);
    CHECK(v6->to_string() == "2001:db8::1");
    for (const char* bad : {"", "10.8.0", "10.8.0.256", "1.2.3.4 ", "::g", "fe80::1%eth0", "[::1]"})
        CHECK_FALSE(IpAddress::parse(bad).ok());
}

TEST_CASE("CIDRs parse, keep host bits and normalize on request") {
    CHECK(cidr("10.8.0.2/24").to_string() == "10.8.0.2/24");
    CHECK(cidr("10.8.0.2/24").network().to_string() == "10.8.0.0/24");
    CHECK(cidr("192.0.2.1").prefix == 32);
    CHECK(cidr("2001:db8::1").prefix == 128);
    CHECK(cidr("2001:db8:ffff::/33").network().to_string() == "2001:db8:8000::/33");
    for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "::/129", "x/8"})
        CHECK_FALSE(Cidr::parse(bad).ok());
}

TEST_CASE("CIDR containment respects family and prefix") {
    CHECK(cidr("10.0.0.0/8").contains(cidr("10.1.0.0/16")));
    CHECK_FALSE(cidr("10.1.0.0/16").contains(cidr("10.0.0.0/8")));
    CHECK(cidr("0.0.0.0/0").contains(*IpAddress::parse("203.0.113.5")));
    CHECK_FALSE(cidr("0.0.0.0/0").contains(*IpAddress::parse("::1")));
    CHECK_FALSE(cidr("::/0").contains(cidr("10.0.0.0/8")));
}

TEST_CASE("subtracting excludes splits includes into the fewest prefixes") {
    CHECK(texts(subtract_cidrs({cidr("10.0.0.0/8")}, {cidr("10.128.0.0/9")})) ==
          std::vector<std::string>{"10.0.0.0/9"});
    CHECK(texts(subtract_cidrs({cidr("10.0.0.0/8")}, {cidr("10.0.0.0/10")})) ==
          std::vector<std::string>{"10.64.0.0/10", "10.128.0.0/9"});
    // A single host cut out of a /30.
    CHECK(texts(subtract_cidrs({cidr("192.168.1.0/30")}, {cidr("192.168.1.2")})) ==
          std::vector<std::string>{"192.168.1.0/31", "192.168.1.3/32"});
    // The whole include excluded.
    CHECK(subtract_cidrs({cidr("10.1.0.0/16")}, {cidr("10.0.0.0/8")}).empty());
    // Unrelated and other-family excludes change nothing; overlapping includes collapse.
    CHECK(texts(subtract_cidrs({cidr("10.1.2.3/16"), cidr("10.1.4.0/24"), cidr("fd00::/8")},
                               {cidr("172.16.0.0/12"), cidr("::/0")})) ==
          std::vector<std::string>{"10.1.0.0/16"});
    CHECK(texts(subtract_cidrs({cidr("::/0")}, {cidr("8000::/1")})) == std::vector<std::string>{"::/1"});
}

TEST_CASE("subtracting a host from the whole v4 space gives 32 prefixes") {
    const auto pieces = subtract_cidrs({cidr("0.0.0.0/0")}, {cidr("203.0.113.5")});
    CHECK(pieces.size() == 32);
    for (const auto& p : pieces)
        CHECK_FALSE(p.contains(*IpAddress::parse("203.0.113.5")));
    CHECK(pieces.front().to_string() == "0.0.0.0/1");
}
