#pragma once
// Host-side L3 configuration of one tunnel: addresses, MTU, link state, routes and (on Linux)
// policy-routing rules. Used in three steps so the daemon can journal before touching the host:
//   plan = configurator.plan(settings);   // pure: exactly what will be added
//   journal.write(... plan ...);
//   configurator.apply(plan);             // all or nothing
//   ...
//   configurator.remove(plan);            // removes exactly what apply added
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "platform/ip.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform {

// The kernel's metric for IPv6 routes added without one.
inline constexpr std::uint32_t kIpv6DefaultMetric = 1024;

struct TunnelNetworkSettings {
    // Stable id of the tunnel (profile name); keys the journal entry.
    std::string tunnel_id;
    std::string ifname;
    int ifindex = 0;
    std::uint32_t mtu = 1500;
    // Interface addresses with their on-link prefix, e.g. 10.8.0.2/24, fd00:8::2/64.
    std::vector<Cidr> addresses;
    // Split tunnel: pushed classless routes plus the profile's include CIDRs. Ignored in full tunnel.
    std::vector<Cidr> routes;
    // Never routed into the tunnel, in either mode (LAN, a bypassed service).
    std::vector<Cidr> exclude;
    // Everything (IPv4 and IPv6) goes through the tunnel except the server connection and `exclude`.
    bool full_tunnel = false;
    // The VPN server; its address is never routed into the tunnel.
    ServerEndpoint server;
    // Split-tunnel routes' metric offset in the main table (route_metric_slots.hpp): IPv4 routes get it
    // as their metric (0 = the kernel's default), IPv6 routes 1024 + it (1024 is the kernel's default).
    std::uint32_t route_metric = 0;
};

// A split tunnel's routes into the tunnel: `routes` minus `exclude` and the server's address, without the
// on-link prefixes of `addresses` (the OS adds those with the address; adding or removing them again
// would touch what is not ours).
std::vector<Cidr> split_tunnel_routes(const TunnelNetworkSettings& settings);

struct AddressChange {
    Cidr address;
    friend bool operator==(const AddressChange&, const AddressChange&) = default;
};

struct RouteChange {
    Cidr destination;           // network form
    std::uint32_t table = 254;  // RT_TABLE_MAIN
    std::uint32_t metric = 0;
    friend bool operator==(const RouteChange&, const RouteChange&) = default;
};

// A policy-routing rule (Linux "ip rule"); other platforms plan none.
struct RuleChange {
    IpFamily family = IpFamily::v4;
    std::uint32_t priority = 0;
    std::uint32_t table = 0;
    std::uint32_t fwmark = 0;        // 0 = no fwmark selector
    bool invert = false;             // "not fwmark ..."
    int suppress_prefixlength = -1;  // -1 = unset
    bool has_destination = false;    // "to <destination>"
    Cidr destination;
    friend bool operator==(const RuleChange&, const RuleChange&) = default;
};

// Everything one tunnel adds to the host, in apply order. Removal runs in reverse.
struct NetworkPlan {
    std::string tunnel_id;
    std::string ifname;
    int ifindex = 0;
    std::uint32_t mtu = 0;
    std::vector<AddressChange> addresses;
    std::vector<RouteChange> routes;
    std::vector<RuleChange> rules;
    std::uint32_t fwmark = 0;  // Linux: non-zero when sockets must be protected with it
    friend bool operator==(const NetworkPlan&, const NetworkPlan&) = default;
};

// The interface part of every platform's plan: id, name, index, MTU and the addresses; the addresses, routes
// and excluded prefixes checked (a prefix longer than its family's address is refused, naming it).
Result<NetworkPlan> plan_interface(const TunnelNetworkSettings& settings);

class NetworkConfigurator {
  public:
    virtual ~NetworkConfigurator() = default;
    // Pure: validates settings and computes the changes. Errors: invalid_argument.
    virtual Result<NetworkPlan> plan(const TunnelNetworkSettings& settings) const = 0;
    // Sets MTU and link up, then adds addresses, routes and rules. On error it removes what it
    // already added and returns the first error (permission_denied, not_found for a missing link,
    // io_error). A split-tunnel route that exists already (same prefix and metric, someone else's) is
    // left to its holder with a warning naming both: the tunnel still comes up.
    virtual Status apply(const NetworkPlan& plan) = 0;
    // Removes what `plan` adds; entries already gone (e.g. with the device) are not an error.
    virtual Status remove(const NetworkPlan& plan) = 0;
    // Puts back whatever of an applied `plan` something else removed (NetworkManager, networkd on
    // resume, an admin); returns how many entries it re-added. Entries still present are left alone.
    virtual Result<std::size_t> restore(const NetworkPlan& plan) = 0;
    // Keeps a socket's traffic out of full tunnels (Linux: the fwmark their policy rules skip, needs
    // CAP_NET_ADMIN). Called on each server socket before connect() (vpnse::ClientOptions::protect_socket).
    virtual Status protect_socket(std::intptr_t native_socket) = 0;
};

}  // namespace vpnse::platform
