#include "platform/windows/ip_helper_requests.hpp"

#include <algorithm>
#include <cstring>

namespace vpnse::platform::windows {
namespace {

std::wstring ascii_wide(const std::string& text) {
    return std::wstring(text.begin(), text.end());
}

// A search domain as Windows takes it: letters, digits, '-', '_' and dots; no separators that would
// split it into two entries.
bool is_dns_name(const std::string& name) {
    if (name.empty() || name.size() > 253)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
               c == '_' || c == '.';
    });
}

void append_listed(std::wstring& list, const std::wstring& item) {
    if (!list.empty())
        list += L',';
    list += item;
}

}  // namespace

Result<NetworkPlan> plan_network(const TunnelNetworkSettings& s) {
    if (s.ifindex <= 0)
        return Error(ErrorCode::invalid_argument, "no adapter index for tunnel " + s.tunnel_id);
    if (s.mtu < 576 || s.mtu > 65535)
        return Error(ErrorCode::invalid_argument, "bad MTU " + std::to_string(s.mtu));
    auto started = plan_interface(s);
    if (!started)
        return started.error();
    NetworkPlan plan = std::move(*started);

    if (s.full_tunnel) {
        // The uplink routes first: they are looked up before the tunnel's routes take the traffic.
        plan.routes.push_back(RouteChange{Cidr::host(s.server.address), kRouteOnUplink, 0});
        for (const auto& ex : s.exclude)
            plan.routes.push_back(RouteChange{ex.network(), kRouteOnUplink, 0});
        // Both families, so IPv6 cannot leak beside an IPv4-only tunnel.
        for (const char* half : {"0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::/1"})
            plan.routes.push_back(RouteChange{*Cidr::parse(half), kRouteOnTunnel, s.route_metric});
        return plan;
    }

    // Split tunnel, as on Linux.
    for (const auto& route : split_tunnel_routes(s))
        plan.routes.push_back(RouteChange{route, kRouteOnTunnel, s.route_metric});
    return plan;
}

SOCKADDR_INET sockaddr_of(const IpAddress& address) {
    SOCKADDR_INET out;
    std::memset(&out, 0, sizeof out);
    if (address.is_v4()) {
        out.Ipv4.sin_family = AF_INET;
        std::memcpy(&out.Ipv4.sin_addr, address.bytes().data(), 4);
    } else {
        out.Ipv6.sin6_family = AF_INET6;
        std::memcpy(&out.Ipv6.sin6_addr, address.bytes().data(), 16);
    }
    return out;
}

IpAddress address_of(const SOCKADDR_INET& address) {
    if (address.si_family == AF_INET6)
        return IpAddress::from_bytes(IpFamily::v6,
                                     reinterpret_cast<const std::uint8_t*>(&address.Ipv6.sin6_addr));
    return IpAddress::from_bytes(IpFamily::v4, reinterpret_cast<const std::uint8_t*>(&address.Ipv4.sin_addr));
}

IP_ADDRESS_PREFIX prefix_of(const Cidr& cidr) {
    IP_ADDRESS_PREFIX out;
    std::memset(&out, 0, sizeof out);
    out.Prefix = sockaddr_of(cidr.network().address);
    out.PrefixLength = static_cast<UINT8>(cidr.prefix);
    return out;
}

MIB_UNICASTIPADDRESS_ROW unicast_address_row(const NET_LUID& adapter, const Cidr& address) {
    MIB_UNICASTIPADDRESS_ROW row;
    std::memset(&row, 0, sizeof row);
    row.Address = sockaddr_of(address.address);
    row.InterfaceLuid = adapter;
    row.PrefixOrigin = IpPrefixOriginManual;
    row.SuffixOrigin = IpSuffixOriginManual;
    row.ValidLifetime = 0xffffffff;  // infinite
    row.PreferredLifetime = 0xffffffff;
    row.OnLinkPrefixLength = static_cast<UINT8>(address.prefix);
    // The adapter is point-to-point: nobody else can hold the address, so skip duplicate detection.
    row.DadState = IpDadStatePreferred;
    return row;
}

MIB_IPFORWARD_ROW2 tunnel_route_row(MIB_IPFORWARD_ROW2 row, const NET_LUID& adapter,
                                    const RouteChange& route) {
    row.InterfaceLuid = adapter;
    row.InterfaceIndex = 0;  // the LUID names the interface
    row.DestinationPrefix = prefix_of(route.destination);
    row.NextHop = sockaddr_of(Cidr::any(route.destination.family()).address);  // unspecified: on-link
    row.Metric = route.metric;
    row.Protocol = RouteProtocolNetMgmt;
    return row;
}

MIB_IPFORWARD_ROW2 uplink_route_row(MIB_IPFORWARD_ROW2 row, const MIB_IPFORWARD_ROW2& best,
                                    const RouteChange& route) {
    row.InterfaceLuid = best.InterfaceLuid;
    row.InterfaceIndex = best.InterfaceIndex;
    row.DestinationPrefix = prefix_of(route.destination);
    row.NextHop = best.NextHop;
    row.Metric = route.metric;
    row.Protocol = RouteProtocolNetMgmt;
    return row;
}

bool same_route(const MIB_IPFORWARD_ROW2& a, const MIB_IPFORWARD_ROW2& b) {
    return a.InterfaceLuid.Value == b.InterfaceLuid.Value &&
           a.DestinationPrefix.PrefixLength == b.DestinationPrefix.PrefixLength &&
           address_of(a.DestinationPrefix.Prefix) == address_of(b.DestinationPrefix.Prefix) &&
           a.NextHop.si_family == b.NextHop.si_family && address_of(a.NextHop) == address_of(b.NextHop);
}

Result<std::vector<DnsInterfaceRequest>> dns_requests(const DnsSettings& settings) {
    DnsInterfaceRequest v4;
    DnsInterfaceRequest v6{true, {}, {}, false};
    for (const auto& server : settings.servers)
        append_listed(server.is_v4() ? v4.name_servers : v6.name_servers, ascii_wide(server.to_string()));
    std::wstring search;
    std::vector<std::wstring> listed;
    std::vector<std::string> domains = settings.search_domains;
    for (const auto& d : settings.routing_domains)
        if (d != "." && d != "~.")
            domains.push_back(d.rfind('~', 0) == 0 ? d.substr(1) : d);
    for (const auto& domain : domains) {
        if (!is_dns_name(domain))
            return Error(ErrorCode::invalid_argument, "not a DNS search domain: '" + domain + "'");
        auto wide = ascii_wide(domain);
        if (std::find(listed.begin(), listed.end(), wide) != listed.end())
            continue;  // "corp.example" both searched and routed: listed once
        append_listed(search, wide);
        listed.push_back(std::move(wide));
    }
    std::vector<DnsInterfaceRequest> out;
    if (!v4.name_servers.empty())
        out.push_back(std::move(v4));
    if (!v6.name_servers.empty())
        out.push_back(std::move(v6));
    if (!out.empty() && !search.empty()) {
        out.front().search_list = std::move(search);
        out.front().set_search_list = true;
    }
    return out;
}

std::vector<DnsInterfaceRequest> dns_clear_requests() {
    return {DnsInterfaceRequest{false, {}, {}, true}, DnsInterfaceRequest{true, {}, {}, false}};
}

DnsInterfaceSettings dns_interface_settings(DnsInterfaceRequest& request) {
    DnsInterfaceSettings out;
    std::memset(&out, 0, sizeof out);
    out.Version = kDnsInterfaceSettingsVersion1;
    out.Flags = kDnsSettingNameServer;
    out.NameServer = request.name_servers.data();
    if (request.ipv6)
        out.Flags |= kDnsSettingIpv6;
    if (request.set_search_list) {
        out.Flags |= kDnsSettingSearchList;
        out.SearchList = request.search_list.data();
    }
    return out;
}

}  // namespace vpnse::platform::windows
