#include <catch2/catch.hpp>

#include "ether_test_support.hpp"

using namespace ether_test;

TEST_CASE("generate_mac makes a locally administered unicast 5E MAC", "[ether][addresses]") {
    SeededRandom rng(7);
    for (int i = 0; i < 50; ++i) {
        const MacAddress m = generate_mac(rng);
        CHECK(m.bytes[0] == 0x5e);
        CHECK(m.is_locally_administered());
        CHECK_FALSE(m.is_multicast());
        CHECK_FALSE(m.is_hub_mac());
    }
}

TEST_CASE("MacAddress text round trip", "[ether][addresses]") {
    CHECK(mac("5E-01-02-0a-0B-ff").to_string() == "5e:01:02:0a:0b:ff");
    CHECK(MacAddress::parse("5e0102030405")->bytes[5] == 5);
    CHECK_FALSE(MacAddress::parse("5e:01:02:03:04"));
    CHECK_FALSE(MacAddress::parse("5e:01:02:03:04:0g"));
    CHECK(mac("00:ae:54:ac:90:8a").is_hub_mac());
}

TEST_CASE("Ipv4Address parse and format", "[ether][addresses]") {
    CHECK(ip4("192.168.30.1").value == 0xc0a81e01);
    CHECK(Ipv4Address{0xac1f55ad}.to_string() == "172.31.85.173");
    CHECK_FALSE(Ipv4Address::parse("256.1.1.1"));
    CHECK_FALSE(Ipv4Address::parse("1.2.3"));
    CHECK_FALSE(Ipv4Address::parse("1.2.3.4 "));
    CHECK(mask_to_prefix(0xffffff00) == 24);
    CHECK_FALSE(mask_to_prefix(0xff00ff00));
    CHECK(prefix_mask(0) == 0);
    CHECK(prefix_mask(32) == 0xffffffff);
}

TEST_CASE("Ipv6Address parse, format, EUI-64 and multicast mapping", "[ether][addresses]") {
    CHECK(ip6("fe80::5c00:ff:fe00:1").to_string() == "fe80::5c00:ff:fe00:1");
    CHECK(ip6("2001:db8:0:0:1:0:0:1").to_string() == "2001:db8::1:0:0:1");
    CHECK(ip6("::").to_string() == "::");
    CHECK(ip6("ff02::1").to_string() == "ff02::1");
    CHECK_FALSE(Ipv6Address::parse("1::2::3"));
    CHECK_FALSE(Ipv6Address::parse("12345::"));
    // 5e:00:00:00:00:01 -> fe80::5c00:ff:fe00:1 (U/L bit flipped, ff:fe inserted).
    CHECK(link_local_from_mac(mac("5e:00:00:00:00:01")) == ip6("fe80::5c00:ff:fe00:1"));
    CHECK(solicited_node(ip6("fe80::5c00:ff:fe00:1")) == ip6("ff02::1:ff00:1"));
    CHECK(multicast_mac(ip6("ff02::1:ff00:1")) == mac("33:33:ff:00:00:01"));
    CHECK(multicast_mac(ip4("239.255.255.250")) == mac("01:00:5e:7f:ff:fa"));
    CHECK(multicast_mac(ip4("224.128.0.1")) == mac("01:00:5e:00:00:01"));
    CHECK(same_prefix(ip6("2001:db8::1"), ip6("2001:db8::2"), 64));
    CHECK_FALSE(same_prefix(ip6("2001:db8::1"), ip6("2001:db9::1"), 32));
}
