#pragma once
// NetworkConfigurator on Windows: the plan of ip_helper_requests.hpp applied through IP Helper (MTU,
// addresses, routes on the Wintun adapter; the server's host route and excluded prefixes on the uplink
// GetBestRoute2 names). It remembers the rows it added per tunnel, because an uplink route's interface
// and next hop are only known when it is applied; remove() deletes exactly those.
#include <map>
#include <string>
#include <vector>

#include "platform/network_configurator.hpp"
#include "platform/windows/ip_helper_api.hpp"
#include "platform/windows/ip_helper_requests.hpp"
#include "vpnse/log.hpp"

namespace vpnse::platform::windows {

class WindowsNetworkConfigurator final : public NetworkConfigurator {
  public:
    // `api` finds the IP Helper functions: iphlpapi.dll's by default, a fake in the unit tests.
    explicit WindowsNetworkConfigurator(Logger logger, IpHelperLoader api = ip_helper)
        : logger_(std::move(logger)), api_(api) {}

    Result<NetworkPlan> plan(const TunnelNetworkSettings& settings) const override {
        return plan_network(settings);
    }
    Status apply(const NetworkPlan& plan) override;
    Status remove(const NetworkPlan& plan) override;
    Result<std::size_t> restore(const NetworkPlan& plan) override;
    // Nothing to do: a full tunnel's routes leave the server's host route on the uplink.
    Status protect_socket(std::intptr_t) override { return {}; }

  private:
    struct Applied {
        std::vector<MIB_UNICASTIPADDRESS_ROW> addresses;
        std::vector<MIB_IPFORWARD_ROW2> routes;
    };
    void undo(const Applied& applied);

    Logger logger_;
    IpHelperLoader api_;
    std::map<std::string, Applied> applied_;
};

}  // namespace vpnse::platform::windows
