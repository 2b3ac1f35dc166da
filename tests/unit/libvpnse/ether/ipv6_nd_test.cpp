#include <catch2/catch.hpp>

#include "ether_test_support.hpp"

using namespace ether_test;

namespace {

Bytes router_advertisement(const Ipv6Address& router, const MacAddress& router_mac, std::uint16_t lifetime,
                           std::uint32_t prefix_valid = 86400, bool with_rdnss = true) {
    Bytes icmp = hex("86 00 0000 40 00 0000 00000000 00000000");
    store_be16(icmp.data() + 6, lifetime);
    ByteWriter w(icmp);
    w.u8(1);
    w.u8(1);
    w.bytes(router_mac.bytes);
    w.bytes(hex("0501 0000 000005dc"));  // MTU 1500
    w.bytes(hex("0304 40 c0"));          // prefix /64, L and A
    w.u32(prefix_valid);
    w.u32(prefix_valid / 2);
    w.u32(0);
    w.bytes(ip6("2001:db8:1::").bytes);
    if (with_rdnss) {
        w.bytes(hex("1903 0000 00000e10"));
        w.bytes(ip6("2001:db8::53").bytes);
    }
    store_be16(icmp.data() + 2, ipv6_upper_checksum(router, ip6("ff02::1"), kIpProtoIcmpv6, icmp));
    return icmp;
}

}  // namespace

TEST_CASE("ND: neighbour solicitation builds with a valid checksum and parses back", "[ether][nd]") {
    const Ipv6Address source =
        ip6("fe80::2ae:54ff:feac:908a");  // the hub's poller (softether-protocol.md 13)
    const Ipv6Address target = ip6("fe80::5c00:ff:fe00:1");
    const Bytes ns = build_neighbor_solicitation(source, target, target, mac("00:ae:54:ac:90:8a"));
    CHECK(ns.size() == 32);
    CHECK(ipv6_upper_checksum(source, target, kIpProtoIcmpv6, ns) == 0);
    const Bytes packet = ipv6_packet(source, target, kIpProtoIcmpv6, ns);
    const auto header = parse_ipv6(packet);
    REQUIRE(header);
    NdParseError error{};
    const auto nd = parse_nd(*header, ByteSpan(packet).subspan(40), error);
    REQUIRE(nd);
    CHECK(nd->type == NdType::neighbor_solicitation);
    CHECK(nd->target == target);
    CHECK(nd->source_link_address == mac("00:ae:54:ac:90:8a"));
}

TEST_CASE("ND: neighbour advertisement flags and target link address", "[ether][nd]") {
    const Ipv6Address me = ip6("fe80::5c00:ff:fe00:1"), peer = ip6("fe80::1");
    const Bytes na = build_neighbor_advertisement(me, peer, me, true, true, mac("5e:00:00:00:00:01"));
    CHECK(Bytes(na.begin(), na.begin() + 8) == Bytes{136, 0, na[2], na[3], 0x60, 0, 0, 0});
    Ipv6Header header{static_cast<std::uint16_t>(na.size()), kIpProtoIcmpv6, 255, me, peer};
    NdParseError error{};
    const auto nd = parse_nd(header, na, error);
    REQUIRE(nd);
    CHECK(nd->solicited_flag);
    CHECK(nd->override_flag);
    CHECK_FALSE(nd->router_flag);
    CHECK(nd->target_link_address == mac("5e:00:00:00:00:01"));
}

TEST_CASE("ND: router advertisement with prefix, MTU and RDNSS", "[ether][nd]") {
    const Ipv6Address router = ip6("fe80::1");
    const Bytes ra = router_advertisement(router, mac("5e:aa:bb:cc:dd:ee"), 1800);
    Ipv6Header header{static_cast<std::uint16_t>(ra.size()), kIpProtoIcmpv6, 255, router, ip6("ff02::1")};
    NdParseError error{};
    const auto nd = parse_nd(header, ra, error);
    REQUIRE(nd);
    CHECK(nd->router_lifetime == 1800);
    CHECK(nd->mtu == 1500u);
    REQUIRE(nd->prefixes.size() == 1);
    CHECK(nd->prefixes[0].autonomous);
    CHECK(nd->prefixes[0].prefix_length == 64);
    CHECK(nd->prefixes[0].prefix == ip6("2001:db8:1::"));
    CHECK(nd->dns_servers == std::vector<Ipv6Address>{ip6("2001:db8::53")});
    CHECK(nd->source_link_address == mac("5e:aa:bb:cc:dd:ee"));
}

TEST_CASE("ND: invalid messages are rejected", "[ether][nd]") {
    const Ipv6Address router = ip6("fe80::1");
    Bytes ra = router_advertisement(router, mac("5e:aa:bb:cc:dd:ee"), 1800);
    Ipv6Header header{static_cast<std::uint16_t>(ra.size()), kIpProtoIcmpv6, 255, router, ip6("ff02::1")};
    NdParseError error{};
    header.hop_limit = 64;
    CHECK_FALSE(parse_nd(header, ra, error));
    CHECK(error == NdParseError::bad_hop_limit);
    header.hop_limit = 255;
    ra[20] ^= 1;
    CHECK_FALSE(parse_nd(header, ra, error));
    CHECK(error == NdParseError::bad_checksum);
    // A zero-length option (would loop forever if accepted; RFC 4861 4.6).
    Bytes zero = hex("86 00 0000 40 00 0708 00000000 00000000 0100 000000000000");
    store_be16(zero.data() + 2, ipv6_upper_checksum(router, ip6("ff02::1"), kIpProtoIcmpv6, zero));
    CHECK_FALSE(parse_nd(header, zero, error));
    CHECK(error == NdParseError::bad_option);
    CHECK_FALSE(parse_nd(header, hex("80 00"), error));
    CHECK(error == NdParseError::truncated);
    CHECK_FALSE(parse_ipv6(hex("6000000000ff3aff")));
}
