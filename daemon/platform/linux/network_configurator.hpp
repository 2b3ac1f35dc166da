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

// The Linux planning step on its own, for tests and for recovery.
Result<NetworkPlan> plan_linux_network(const TunnelNetworkSettings& settings);

class LinuxNetworkConfigurator final : public NetworkConfigurator {
  public:
    explicit LinuxNetworkConfigurator(Logger log = {}) : log_(std::move(log)) {}

    Result<NetworkPlan> plan(const TunnelNetworkSettings& settings) const override;
    Status apply(const NetworkPlan& plan) override;
    Status remove(const NetworkPlan& plan) override;
    Result<std::size_t> restore(const NetworkPlan& plan) override;
    Status protect_socket(std::intptr_t native_socket) override;

  private:
    Logger log_;
};

// Deletes a TUN link by name if it still exists and is a TUN (crash recovery).
Status delete_tun_link(const std::string& ifname);

}  // namespace vpnse::platform
