#include "plugin/nm_ip_config.hpp"

#include <catch2/catch.hpp>

using namespace vpnse;

namespace {

std::string print(GVariant* variant) {
    gchar* text = g_variant_print(variant, TRUE);
    std::string out = text;
    g_free(text);
    return out;
}

vpnsed::tunnel::NetworkReport report() {
    vpnsed::tunnel::NetworkReport r;
    r.ifname = "vse-nm8c105fe1f";
    r.network.address = *Cidr::parse("192.168.30.10/24");
    r.network.gateway = *IpAddress::parse("192.168.30.1");
    r.network.dns = {*IpAddress::parse("192.168.30.1")};
    r.network.domain = "corp.example";
    r.network.routes = {Route{*Cidr::parse("10.1.0.0/16"), *IpAddress::parse("192.168.30.1")}};
    r.server = {*IpAddress::parse("203.0.113.5"), 443};
    return r;
}

}  // namespace

TEST_CASE("nm config: the device, MTU and the server as the external gateway") {
    auto config = nm::nm_ip_config(report(), 1400);
    CHECK(print(config.config.get()) ==
          "{'tundev': <'vse-nm8c105fe1f'>, 'has-ip4': <true>, 'has-ip6': <false>, 'mtu': <uint32 1400>, "
          "'gateway': <uint32 91291851>}");
    CHECK_FALSE(config.ip6);
}

TEST_CASE("nm config: IPv4 lease, DNS, domain, classless routes, never-default in split mode") {
    auto config = nm::nm_ip_config(report(), 1400);
    // Addresses are uint32 in network byte order: 192.168.30.10 is 0x0a1ea8c0 on a little-endian host.
    CHECK(print(config.ip4.get()) ==
          "{'address': <uint32 169781440>, 'prefix': <uint32 24>, 'internal-gateway': <uint32 18786496>, "
          "'dns': <[uint32 18786496]>, 'domain': <'corp.example'>, 'domains': <@as []>, "
          "'routes': <[[uint32 266, 16, 18786496, 0]]>, 'never-default': <true>}");
    auto full = report();
    full.full_tunnel = true;
    CHECK_THAT(print(nm::nm_ip_config(full, 1400).ip4.get()), Catch::Contains("'never-default': <false>"));
}

TEST_CASE("nm config: a global IPv6 address gives Ip6Config; link-local alone does not") {
    auto r = report();
    r.network.ipv6_addresses = {*Cidr::parse("fe80::1/64")};
    CHECK_FALSE(nm::nm_ip_config(r, 1400).ip6);
    r.network.ipv6_addresses.push_back(*Cidr::parse("2001:db8::10/64"));
    auto config = nm::nm_ip_config(r, 1400);
    REQUIRE(config.ip6);
    CHECK_THAT(print(config.config.get()), Catch::Contains("'has-ip6': <true>"));
    CHECK_THAT(print(config.ip6.get()), Catch::Contains("'prefix': <uint32 64>"));
}
