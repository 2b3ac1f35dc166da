// The production TunnelFactory: LinuxTunnel over the Linux platform backends.
#include "tunnel/tunnel_factory_linux.hpp"

#include <set>

#include "platform/linux/network_configurator.hpp"
#include "platform/linux/nft_kill_switch.hpp"
#include "platform/linux/recovery.hpp"
#include "platform/linux/tun_device.hpp"
#include "tunnel/linux_tunnel.hpp"

namespace vpnsed::tunnel {
namespace {

class LinuxTunnelFactory final : public service::TunnelFactory {
  public:
    LinuxTunnelFactory(asio::io_context& io, const settings::DaemonSettings& settings,
                       const vpnse::Logger& logger, std::shared_ptr<const vpnse::LogSink> sink)
        : io_(io),
          settings_(settings),
          network_(logger.child("net")),
          kill_switch_("nft", logger.child("killswitch")),
          journal_(settings.state_dir),
          sink_(std::move(sink)) {
        // A daemon restarted after a crash runs no tunnels yet: whatever the journal lists is stale.
        auto report = vpnse::platform::recover_stale(journal_, {}, {}, logger.child("recovery"));
        for (const auto& id : report.recovered)
            logger.info("removed stale tunnel configuration", {{"tunnel", id}});
        for (const auto& e : report.errors)
            logger.warn("recovery problem", {{"error", e}});
    }

    std::unique_ptr<service::TunnelHandle> create(const vpnse::Profile& profile,
                                                  service::TunnelObserver& observer) override {
        PlatformParts parts{tun_factory_, network_, kill_switch_, journal_, settings_, sink_};
        return std::make_unique<LinuxTunnel>(io_, profile, observer, parts);
    }

  private:
    asio::io_context& io_;
    const settings::DaemonSettings& settings_;
    vpnse::platform::LinuxTunDeviceFactory tun_factory_;
    vpnse::platform::LinuxNetworkConfigurator network_;
    vpnse::platform::NftKillSwitch kill_switch_;
    vpnse::platform::StateJournal journal_;
    std::shared_ptr<const vpnse::LogSink> sink_;
};

}  // namespace

std::unique_ptr<service::TunnelFactory> make_tunnel_factory(asio::io_context& io,
                                                            const settings::DaemonSettings& settings,
                                                            const vpnse::Logger& logger) {
    return std::make_unique<LinuxTunnelFactory>(io, settings, logger, logger.sink());
}

}  // namespace vpnsed::tunnel
