#include "platform/windows/wintun_tunnel_factory.hpp"

#include "platform/host.hpp"
#include "platform/windows/no_kill_switch.hpp"
#include "platform/windows/windows_dns_configurator.hpp"
#include "platform/windows/windows_network_configurator.hpp"
#include "platform/windows/wintun_packet_device.hpp"
#include "tunnel/tunnel.hpp"

namespace vpnsed::tunnel {
namespace {

namespace windows = vpnse::platform::windows;

class WintunTunnelFactory final : public service::TunnelFactory {
  public:
    WintunTunnelFactory(asio::io_context& io, const settings::DaemonSettings& settings,
                        const vpnse::Logger& logger)
        : io_(io),
          settings_(settings),
          logger_(logger),
          network_(logger.child("net"), windows::ip_helper, settings.state_dir),
          journal_(settings.state_dir) {
        // A service restarted after a crash runs no tunnels yet: every recorded uplink route is stale.
        for (const auto& problem : network_.recover_stale_uplink_routes())
            logger_.warn("recovery problem", {{"error", problem}});
    }

    std::unique_ptr<service::TunnelHandle> create(const vpnse::Profile& profile,
                                                  service::TunnelObserver& observer) override {
        TunnelParts parts{
            devices_,
            network_,
            kill_switch_,
            journal_,
            metric_slots_,
            settings_,
            logger_.sink(),
            [this](
                const std::string& id) -> vpnse::Result<std::unique_ptr<vpnse::platform::DnsConfigurator>> {
                return std::unique_ptr<vpnse::platform::DnsConfigurator>(
                    std::make_unique<windows::WindowsDnsConfigurator>(logger_.child("dns." + id)));
            },
            nullptr,
            host_name_,
            machine_id_,
            nullptr,
            nullptr};
        return std::make_unique<Tunnel>(io_, profile, observer, std::move(parts));
    }

  private:
    asio::io_context& io_;
    const settings::DaemonSettings& settings_;
    vpnse::Logger logger_;
    windows::WintunPacketDeviceFactory devices_;
    windows::WindowsNetworkConfigurator network_;
    windows::NoKillSwitch kill_switch_;
    vpnse::platform::StateJournal journal_;
    vpnse::platform::RouteMetricSlots metric_slots_;
    const std::string host_name_ = vpnse::platform::host_name();
    const std::string machine_id_ = vpnse::platform::machine_id();
};

}  // namespace

std::unique_ptr<service::TunnelFactory> make_wintun_tunnel_factory(asio::io_context& io,
                                                                   const settings::DaemonSettings& settings,
                                                                   const vpnse::Logger& logger) {
    return std::make_unique<WintunTunnelFactory>(io, settings, logger);
}

}  // namespace vpnsed::tunnel
