#include <algorithm>

#include "platform/network_configurator.hpp"

namespace vpnse::platform {

using vpnse::Error;
using vpnse::ErrorCode;

std::vector<Cidr> split_tunnel_routes(const TunnelNetworkSettings& s) {
    // The server must stay reachable outside the tunnel even if a pushed route covers it.
    auto exclude = s.exclude;
    exclude.push_back(Cidr::host(s.server.address));
    std::vector<Cidr> out;
    for (const auto& route : subtract_cidrs(s.routes, exclude)) {
        const bool on_link = std::any_of(s.addresses.begin(), s.addresses.end(),
                                         [&](const Cidr& a) { return a.network() == route; });
        if (!on_link)
            out.push_back(route);
    }
    return out;
}

Result<NetworkPlan> plan_interface(const TunnelNetworkSettings& s) {
    NetworkPlan plan;
    plan.tunnel_id = s.tunnel_id;
    plan.ifname = s.ifname;
    plan.ifindex = s.ifindex;
    plan.mtu = s.mtu;
    for (const auto& a : s.addresses) {
        if (a.prefix < 0 || a.prefix > a.address.bit_length())
            return Error(ErrorCode::invalid_argument, "bad address " + a.to_string());
        plan.addresses.push_back(AddressChange{a});
    }
    for (const auto& c : s.routes)
        if (c.prefix < 0 || c.prefix > c.address.bit_length())
            return Error(ErrorCode::invalid_argument, "bad route " + c.to_string());
    for (const auto& c : s.exclude)
        if (c.prefix < 0 || c.prefix > c.address.bit_length())
            return Error(ErrorCode::invalid_argument, "bad excluded prefix " + c.to_string());
    return plan;
}

}  // namespace vpnse::platform
