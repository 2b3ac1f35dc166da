// The request builders of the Wintun backend (daemon/platform/windows/ip_helper_requests.hpp): what
// vpnsed.exe hands IP Helper, checked field by field, because no Wintun adapter exists under wine to
// apply them to (docs/windows.md).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstring>

#include "platform/windows/ip_helper_requests.hpp"

using namespace vpnse::platform;
using namespace vpnse::platform::windows;

namespace {

Cidr cidr(const char* text) {
    return *Cidr::parse(text);
}
IpAddress ip(const char* text) {
    return *IpAddress::parse(text);
}

TunnelNetworkSettings settings() {
    TunnelNetworkSettings s;
    s.tunnel_id = "office";
    s.ifname = "vse-office";
    s.ifindex = 17;
    s.mtu = 1400;
    s.addresses = {cidr("192.168.30.10/24")};
    s.server = ServerEndpoint{ip("203.0.113.5"), 443};
    return s;
}

NET_LUID luid(ULONG64 value) {
    NET_LUID out;
    out.Value = value;
    return out;
}

MIB_IPFORWARD_ROW2 zero_row() {
    MIB_IPFORWARD_ROW2 row;
    std::memset(&row, 0, sizeof row);
    return row;
}

std::vector<RouteChange> routes_on(const NetworkPlan& plan, std::uint32_t where) {
    std::vector<RouteChange> out;
    for (const auto& r : plan.routes)
        if (r.table == where)
            out.push_back(r);
    return out;
}

}  // namespace

TEST_CASE(
    "full tunnel: two halves per family on the adapter, the server and excluded prefixes on the uplink "
    "first") {
    auto s = settings();
    s.full_tunnel = true;
    s.exclude = {cidr("10.1.2.3/16")};
    auto plan = plan_network(s);
    REQUIRE(plan);
    CHECK(plan->ifindex == 17);
    CHECK(plan->mtu == 1400);
    REQUIRE(plan->addresses.size() == 1);
    CHECK(plan->addresses[0].address == cidr("192.168.30.10/24"));
    REQUIRE(plan->routes.size() == 6);
    // Uplink routes come first: GetBestRoute2 must see the host before the halves take the traffic.
    CHECK(plan->routes[0] == RouteChange{cidr("203.0.113.5/32"), kRouteOnUplink, 0});
    CHECK(plan->routes[1] == RouteChange{cidr("10.1.0.0/16"), kRouteOnUplink, 0});
    const auto tunnel = routes_on(*plan, kRouteOnTunnel);
    REQUIRE(tunnel.size() == 4);
    CHECK(tunnel[0].destination == cidr("0.0.0.0/1"));
    CHECK(tunnel[1].destination == cidr("128.0.0.0/1"));
    CHECK(tunnel[2].destination == cidr("::/1"));
    CHECK(tunnel[3].destination == cidr("8000::/1"));
    CHECK(plan->rules.empty());
}

TEST_CASE(
    "split tunnel: pushed routes minus the server and the excluded prefixes, with the tunnel's metric") {
    auto s = settings();
    s.routes = {cidr("203.0.113.0/29"), cidr("10.0.0.0/8"), cidr("192.168.30.0/24")};
    s.exclude = {cidr("10.5.0.0/16")};
    s.route_metric = 2;
    auto plan = plan_network(s);
    REQUIRE(plan);
    CHECK(routes_on(*plan, kRouteOnUplink).empty());
    for (const auto& r : plan->routes) {
        CHECK(r.table == kRouteOnTunnel);
        CHECK(r.metric == 2);
        CHECK_FALSE(r.destination.contains(ip("203.0.113.5")));  // the server stays outside
        CHECK_FALSE(r.destination.overlaps(cidr("10.5.0.0/16")));
        CHECK(r.destination != cidr("192.168.30.0/24"));  // the on-link prefix comes with the address
    }
    CHECK(std::find(plan->routes.begin(), plan->routes.end(),
                    RouteChange{cidr("10.0.0.0/14"), kRouteOnTunnel, 2}) != plan->routes.end());
    CHECK(std::find(plan->routes.begin(), plan->routes.end(),
                    RouteChange{cidr("203.0.113.4/32"), kRouteOnTunnel, 2}) !=
          plan->routes.end());  // the server's neighbours stay in the tunnel
}

TEST_CASE("plan: a missing adapter index, a bad MTU or prefix is invalid_argument") {
    auto s = settings();
    s.ifindex = 0;
    CHECK(plan_network(s).error().code() == vpnse::ErrorCode::invalid_argument);
    s = settings();
    s.mtu = 100;
    CHECK(plan_network(s).error().code() == vpnse::ErrorCode::invalid_argument);
    s = settings();
    s.routes = {Cidr{ip("10.0.0.0"), 33}};
    CHECK(plan_network(s).error().code() == vpnse::ErrorCode::invalid_argument);
}

TEST_CASE("sockaddr and prefix conversions keep the address bytes and mask the prefix") {
    const auto v4 = sockaddr_of(ip("192.0.2.7"));
    CHECK(v4.si_family == AF_INET);
    const auto* b4 = reinterpret_cast<const unsigned char*>(&v4.Ipv4.sin_addr);
    CHECK((b4[0] == 192 && b4[1] == 0 && b4[2] == 2 && b4[3] == 7));
    CHECK(address_of(v4) == ip("192.0.2.7"));
    const auto v6 = sockaddr_of(ip("2001:db8::1"));
    CHECK(v6.si_family == AF_INET6);
    CHECK(address_of(v6) == ip("2001:db8::1"));
    const auto prefix = prefix_of(cidr("10.1.2.3/16"));
    CHECK(prefix.PrefixLength == 16);
    CHECK(address_of(prefix.Prefix) == ip("10.1.0.0"));
}

TEST_CASE(
    "unicast address row: the adapter's LUID, the host address, its on-link prefix, manual and permanent") {
    const auto row = unicast_address_row(luid(0x1234), cidr("192.168.30.10/24"));
    CHECK(row.InterfaceLuid.Value == 0x1234);
    CHECK(address_of(row.Address) == ip("192.168.30.10"));
    CHECK(row.OnLinkPrefixLength == 24);
    CHECK(row.PrefixOrigin == IpPrefixOriginManual);
    CHECK(row.SuffixOrigin == IpSuffixOriginManual);
    CHECK(row.ValidLifetime == 0xffffffff);
    CHECK(row.PreferredLifetime == 0xffffffff);
    CHECK(row.DadState == IpDadStatePreferred);
    const auto v6 = unicast_address_row(luid(0x1234), cidr("fd00:8::2/64"));
    CHECK(v6.Address.si_family == AF_INET6);
    CHECK(v6.OnLinkPrefixLength == 64);
}

TEST_CASE(
    "tunnel route row: on the adapter, on-link next hop of the family, the plan's metric, over the "
    "defaults") {
    auto initialized = zero_row();
    initialized.ValidLifetime = 0xffffffff;  // what InitializeIpForwardEntry set stays
    const auto row =
        tunnel_route_row(initialized, luid(77), RouteChange{cidr("128.0.0.0/1"), kRouteOnTunnel, 3});
    CHECK(row.InterfaceLuid.Value == 77);
    CHECK(row.InterfaceIndex == 0);
    CHECK(row.DestinationPrefix.PrefixLength == 1);
    CHECK(address_of(row.DestinationPrefix.Prefix) == ip("128.0.0.0"));
    CHECK(row.NextHop.si_family == AF_INET);
    CHECK(address_of(row.NextHop) == ip("0.0.0.0"));
    CHECK(row.Metric == 3);
    CHECK(row.Protocol == RouteProtocolNetMgmt);
    CHECK(row.ValidLifetime == 0xffffffff);
    const auto v6 = tunnel_route_row(zero_row(), luid(77), RouteChange{cidr("8000::/1"), kRouteOnTunnel, 0});
    CHECK(v6.NextHop.si_family == AF_INET6);
    CHECK(address_of(v6.DestinationPrefix.Prefix) == ip("8000::"));
}

TEST_CASE("uplink route row: the best route's interface and gateway, the server's host prefix") {
    auto best = zero_row();
    best.InterfaceLuid = luid(5);
    best.InterfaceIndex = 9;
    best.NextHop = sockaddr_of(ip("192.168.1.1"));
    best.DestinationPrefix = prefix_of(cidr("0.0.0.0/0"));
    const auto row =
        uplink_route_row(zero_row(), best, RouteChange{cidr("203.0.113.5/32"), kRouteOnUplink, 0});
    CHECK(row.InterfaceLuid.Value == 5);
    CHECK(row.InterfaceIndex == 9);
    CHECK(address_of(row.NextHop) == ip("192.168.1.1"));
    CHECK(row.DestinationPrefix.PrefixLength == 32);
    CHECK(address_of(row.DestinationPrefix.Prefix) == ip("203.0.113.5"));
    CHECK(same_route(row, row));
    auto other = row;
    other.NextHop = sockaddr_of(ip("192.168.1.2"));
    CHECK_FALSE(same_route(row, other));
}

TEST_CASE("DNS: one call per family with servers, comma-separated; the search list goes with the first") {
    DnsSettings dns;
    dns.ifindex = 17;
    dns.servers = {ip("192.168.30.1"), ip("2001:db8::53"), ip("192.168.30.2")};
    dns.search_domains = {"corp.example", "lab.example"};
    dns.routing_domains = {".", "~corp.example", "~ops.example"};
    auto requests = dns_requests(dns);
    REQUIRE(requests);
    REQUIRE(requests->size() == 2);
    CHECK((*requests)[0] == DnsInterfaceRequest{false, L"192.168.30.1,192.168.30.2",
                                                L"corp.example,lab.example,ops.example", true});
    CHECK((*requests)[1] == DnsInterfaceRequest{true, L"2001:db8::53", L"", false});

    auto settings4 = dns_interface_settings((*requests)[0]);
    CHECK(settings4.Version == kDnsInterfaceSettingsVersion1);
    CHECK(settings4.Flags == (kDnsSettingNameServer | kDnsSettingSearchList));
    CHECK(std::wstring(settings4.NameServer) == L"192.168.30.1,192.168.30.2");
    CHECK(std::wstring(settings4.SearchList) == L"corp.example,lab.example,ops.example");
    CHECK(settings4.Domain == nullptr);
    auto settings6 = dns_interface_settings((*requests)[1]);
    CHECK(settings6.Flags == (kDnsSettingNameServer | kDnsSettingIpv6));
    CHECK(settings6.SearchList == nullptr);
}

TEST_CASE("DNS: the struct has DNS_INTERFACE_SETTINGS' 64-bit layout") {
    CHECK(sizeof(DnsInterfaceSettings) == 64);
    CHECK(offsetof(DnsInterfaceSettings, Flags) == 8);
    CHECK(offsetof(DnsInterfaceSettings, NameServer) == 24);
    CHECK(offsetof(DnsInterfaceSettings, RegistrationEnabled) == 40);
    CHECK(offsetof(DnsInterfaceSettings, ProfileNameServer) == 56);
}

TEST_CASE("DNS: a search domain that is not a DNS name is refused; clearing empties both families") {
    DnsSettings dns;
    dns.servers = {ip("192.168.30.1")};
    dns.search_domains = {"corp.example,evil"};
    CHECK(dns_requests(dns).error().code() == vpnse::ErrorCode::invalid_argument);
    dns.search_domains = {};
    auto only_v4 = dns_requests(dns);
    REQUIRE(only_v4);
    REQUIRE(only_v4->size() == 1);
    CHECK_FALSE((*only_v4)[0].set_search_list);

    auto clear = dns_clear_requests();
    REQUIRE(clear.size() == 2);
    for (auto& request : clear) {
        CHECK(request.name_servers.empty());
        auto s = dns_interface_settings(request);
        CHECK((s.Flags & kDnsSettingNameServer) != 0);
        CHECK(std::wstring(s.NameServer).empty());
    }
    CHECK(clear[0].set_search_list);
    CHECK(clear[1].ipv6);
}
