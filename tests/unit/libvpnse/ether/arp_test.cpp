#include <catch2/catch.hpp>

#include "ether_test_support.hpp"

using namespace ether_test;

TEST_CASE("ARP: the hub's 172.31.x.y poll parses and is recognised", "[ether][arp]") {
    // Captured shape (softether-protocol.md 13): who-has 192.168.30.5 tell 172.31.85.173 from
    // 00:ae:54:ac:90:8a.
    const Bytes body = hex("0001 0800 06 04 0001 00ae54ac908a ac1f55ad 000000000000 c0a81e05");
    const auto arp = parse_arp(body);
    REQUIRE(arp);
    CHECK(arp->operation == kArpRequest);
    CHECK(arp->sender_ip == ip4("172.31.85.173"));
    CHECK(arp->target_ip == ip4("192.168.30.5"));
    CHECK(arp->is_hub_poll());
    CHECK_FALSE(arp->is_probe());
}

TEST_CASE("ARP: build matches the wire layout and round-trips", "[ether][arp]") {
    std::uint8_t out[kArpPacketSize];
    write_arp(out, {kArpReply, mac("5e:00:00:00:00:01"), ip4("192.168.30.10"), mac("5e:70:86:1a:da:5c"),
                    ip4("192.168.30.1")});
    CHECK(Bytes(out, out + kArpPacketSize) ==
          hex("0001 0800 06 04 0002 5e0000000001 c0a81e0a 5e70861ada5c c0a81e01"));
    CHECK(parse_arp(out)->sender_mac == mac("5e:00:00:00:00:01"));
}

TEST_CASE("ARP: malformed packets are rejected", "[ether][arp]") {
    CHECK_FALSE(parse_arp(hex("0001 0800 06 04 0001")));  // truncated
    CHECK_FALSE(parse_arp(hex("0006 0800 06 04 0001 00ae54ac908a ac1f55ad 000000000000 c0a81e05")));  // htype
    CHECK_FALSE(parse_arp(hex("0001 0800 06 04 0003 00ae54ac908a ac1f55ad 000000000000 c0a81e05")));  // RARP
    CHECK_FALSE(parse_arp(hex("0001 86dd 06 04 0001 00ae54ac908a ac1f55ad 000000000000 c0a81e05")));
}
