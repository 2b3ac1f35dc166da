#pragma once
// Linux L3 configuration through rtnetlink (libnl-route-3).
//
// Split tunnel: one route per planned prefix in the main table, through the TUN.
// Full tunnel (wg-quick style policy routing, see docs/platform-linux.md):
//   table T:  default dev TUN, ::/0 dev TUN
//   rule P-2: to <exclude> lookup main                 (one per exclude)
//   rule P-1: lookup main suppress_prefixlength 0       (LAN and other specific routes still win)
//   rule P:   not fwmark M lookup T                     (everything unmarked enters the tunnel)
// and the server socket carries SO_MARK = M, so it never matches rule P.
#include "platform/network_configurator.hpp"
#include "vpnse/log.hpp"

namespace vpnse::platform {

// 0x7673 is "vs": the fwmark, the routing table and the rule priority base used by default.
inline constexpr std::uint32_t kDefaultFwmark = 0x7673;
inline constexpr std::uint32_t kDefaultRouteTable = 0x7673;
inline constexpr std::uint32_t kDefaultRulePriority = 0x7673;

// How full tunnels are routed: sockets marked with `fwmark` (protect_socket) bypass `table`; the
// tunnel rule gets `rule_priority`, the main-table rules rule_priority-1 and rule_priority-2.
struct PolicyRouting {
    std::uint32_t fwmark = kDefaultFwmark;
    std::uint32_t table = kDefaultRouteTable;
    std::uint32_t rule_priority = kDefaultRulePriority;
};

// The Linux planning step on its own, for tests and for recovery.
Result<NetworkPlan> plan_linux_network(const TunnelNetworkSettings& settings,
                                       const PolicyRouting& routing = {});

class LinuxNetworkConfigurator final : public NetworkConfigurator {
  public:
    explicit LinuxNetworkConfigurator(Logger log = {}, PolicyRouting routing = {})
        : log_(std::move(log)), routing_(routing) {}

    Result<NetworkPlan> plan(const TunnelNetworkSettings& settings) const override;
    Status apply(const NetworkPlan& plan) override;
    Status remove(const NetworkPlan& plan) override;
    Result<std::size_t> restore(const NetworkPlan& plan) override;
    Status protect_socket(std::intptr_t native_socket) override;

  private:
    Logger log_;
    PolicyRouting routing_;
};

// Deletes a TUN link by name if it still exists and is a TUN (crash recovery).
Status delete_tun_link(const std::string& ifname);

}  // namespace vpnse::platform
