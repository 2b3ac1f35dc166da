#pragma once
// The pure half of the Windows network backend: what vpnsed asks IP Helper for, computed from the
// platform interfaces' value types without calling the system, so it is unit-tested under wine where
// no Wintun adapter exists (tests/unit/daemon/platform_windows). The appliers
// (windows_network_configurator, windows_dns_configurator) hand these rows to the system.
//
// Route plan on Windows (RouteChange::table names the interface, Windows has no routing tables):
//  * split tunnel: the pushed and included prefixes minus the excluded ones and the server, on the
//    adapter, as on Linux;
//  * full tunnel: 0.0.0.0/1 + 128.0.0.0/1 and ::/1 + 8000::/1 on the adapter (more specific than any
//    default route, so the physical default route stays untouched), plus the server's host route and
//    the excluded prefixes on the uplink: the interface and next hop that GetBestRoute2 picks for the
//    server before the tunnel routes exist.
// Winsock first, then the IP Helper headers that build on it (the order matters).
#include <winsock2.h>

#include <ws2ipdef.h>

#include <iphlpapi.h>
#include <netioapi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "platform/dns_configurator.hpp"
#include "platform/network_configurator.hpp"

namespace vpnse::platform::windows {

// RouteChange::table on Windows: the route's interface.
inline constexpr std::uint32_t kRouteOnTunnel = 254;
inline constexpr std::uint32_t kRouteOnUplink = 0;

// Validates the settings and lists the addresses and routes, in apply order (uplink routes before the
// tunnel's, so the uplink is looked up before the tunnel takes the traffic). Errors: invalid_argument.
Result<NetworkPlan> plan_network(const TunnelNetworkSettings& settings);

SOCKADDR_INET sockaddr_of(const IpAddress& address);
IpAddress address_of(const SOCKADDR_INET& address);
IP_ADDRESS_PREFIX prefix_of(const Cidr& cidr);

// The adapter's address `address` (host bits kept, the prefix as its on-link length), manual, for good.
MIB_UNICASTIPADDRESS_ROW unicast_address_row(const NET_LUID& adapter, const Cidr& address);
// A kRouteOnTunnel route: on the adapter, on-link (no next hop), the plan's metric, a manual route.
// `initialized` is the row InitializeIpForwardEntry filled with the system's defaults (lifetimes,
// flags); only what identifies the route and its metric is set here.
MIB_IPFORWARD_ROW2 tunnel_route_row(MIB_IPFORWARD_ROW2 initialized, const NET_LUID& adapter,
                                    const RouteChange& route);
// A kRouteOnUplink route: `best` is GetBestRoute2's answer for the destination (its interface and
// next hop are kept: on-link when it has none), the destination becomes `route`'s prefix.
MIB_IPFORWARD_ROW2 uplink_route_row(MIB_IPFORWARD_ROW2 initialized, const MIB_IPFORWARD_ROW2& best,
                                    const RouteChange& route);
// What identifies a route for DeleteIpForwardEntry2 / GetIpForwardEntry2: interface, prefix, next hop.
bool same_route(const MIB_IPFORWARD_ROW2& a, const MIB_IPFORWARD_ROW2& b);

// DNS_INTERFACE_SETTINGS (netioapi.h, Windows 10 2004), written from its public description: Debian's
// mingw-w64 headers predate it.
struct DnsInterfaceSettings {
    ULONG Version;
    ULONG64 Flags;
    PWSTR Domain;
    PWSTR NameServer;
    PWSTR SearchList;
    ULONG RegistrationEnabled;
    ULONG RegisterAdapterName;
    ULONG EnableLLMNR;
    ULONG QueryAdapterName;
    PWSTR ProfileNameServer;
};
inline constexpr ULONG kDnsInterfaceSettingsVersion1 = 1;
inline constexpr ULONG64 kDnsSettingIpv6 = 0x0001;
inline constexpr ULONG64 kDnsSettingNameServer = 0x0002;
inline constexpr ULONG64 kDnsSettingSearchList = 0x0004;

// One SetInterfaceDnsSettings call, portable: the family's servers and the search list, comma-separated.
struct DnsInterfaceRequest {
    bool ipv6 = false;
    std::wstring name_servers;
    std::wstring search_list;
    bool set_search_list = false;
    friend bool operator==(const DnsInterfaceRequest&, const DnsInterfaceRequest&) = default;
};
// The calls that apply `settings`: one per family that has servers (IPv4 first); the search domains
// (search_domains, then routing domains other than ".") go with the first. Errors: invalid_argument for
// a domain that is not a DNS name.
Result<std::vector<DnsInterfaceRequest>> dns_requests(const DnsSettings& settings);
// The calls that take the tunnel's DNS off the adapter again: both families' servers and the search list
// set to empty.
std::vector<DnsInterfaceRequest> dns_clear_requests();
// The struct for one call; it points into `request`, which must outlive it.
DnsInterfaceSettings dns_interface_settings(DnsInterfaceRequest& request);

}  // namespace vpnse::platform::windows
