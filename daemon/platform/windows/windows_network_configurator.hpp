#pragma once
// NetworkConfigurator on Windows: the plan of ip_helper_requests.hpp applied through IP Helper (MTU,
// addresses, routes on the Wintun adapter; the server's host route and excluded prefixes on the uplink
// GetBestRoute2 names). It remembers the rows it added per tunnel, because an uplink route's interface
// and next hop are only known when it is applied; remove() deletes exactly those. With a record
// directory, the uplink rows are also written there while the tunnel is up (uplink_route_record.hpp), for
// recover_stale_uplink_routes() after a crash.
#include <filesystem>
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
    explicit WindowsNetworkConfigurator(Logger logger, IpHelperLoader api = ip_helper,
                                        std::filesystem::path record_dir = {})
        : logger_(std::move(logger)), api_(api), record_dir_(std::move(record_dir)) {}

    Result<NetworkPlan> plan(const TunnelNetworkSettings& settings) const override {
        return plan_network(settings);
    }
    Status apply(const NetworkPlan& plan) override;
    Status remove(const NetworkPlan& plan) override;
    Result<std::size_t> restore(const NetworkPlan& plan) override;
    // Nothing to do: a full tunnel's routes leave the server's host route on the uplink.
    Status protect_socket(std::intptr_t) override { return {}; }

    // At start-up, before any tunnel: deletes the uplink routes recorded by a process that did not
    // remove them (it crashed), then their records. Returns the problems (a record kept when one of its
    // routes could not be deleted, so the next start tries again).
    std::vector<std::string> recover_stale_uplink_routes();

  private:
    struct Applied {
        std::vector<MIB_UNICASTIPADDRESS_ROW> addresses;
        std::vector<MIB_IPFORWARD_ROW2> routes;
    };
    void undo(const Applied& applied);
    Status record_uplink_routes(const std::string& tunnel_id, const Applied& applied,
                                const NET_LUID& adapter);
    void erase_record(const std::string& tunnel_id);
    std::filesystem::path record_path(const std::string& tunnel_id) const;

    Logger logger_;
    IpHelperLoader api_;
    std::filesystem::path record_dir_;
    std::map<std::string, Applied> applied_;
};

}  // namespace vpnse::platform::windows
