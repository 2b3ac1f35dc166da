#include <algorithm>

#include "platform/network_configurator.hpp"

namespace vpnse::platform {

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

}  // namespace vpnse::platform
