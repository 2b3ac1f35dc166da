// The production TunnelFactory on Linux: the OS-neutral Tunnel wired to the Linux platform backends.
#include "tunnel/tunnel_factory_linux.hpp"

#include <algorithm>
#include <set>

#include "platform/host.hpp"
#include "platform/linux/dns_factory.hpp"
#include "platform/linux/network_configurator.hpp"
#include "platform/linux/nft_kill_switch.hpp"
#include "platform/linux/recovery.hpp"
#include "platform/linux/route_watch.hpp"
#include "platform/linux/tun_device.hpp"
#include "platform/linux/tun_packet_device.hpp"
#include "tunnel/shared_dns.hpp"
#include "tunnel/tunnel.hpp"

namespace vpnsed::tunnel {
namespace {

vpnse::platform::DnsBackend dns_backend_of(settings::DnsBackend backend) {
    switch (backend) {
        case settings::DnsBackend::resolved:
            return vpnse::platform::DnsBackend::resolved;
        case settings::DnsBackend::resolvconf:
            return vpnse::platform::DnsBackend::resolv_conf;
        default:
            return vpnse::platform::DnsBackend::automatic;
    }
}

class LinuxTunnelFactory final : public service::TunnelFactory {
  public:
    LinuxTunnelFactory(asio::io_context& io, const settings::DaemonSettings& settings,
                       const vpnse::Logger& logger, std::shared_ptr<const vpnse::LogSink> sink,
                       NetworkOwner owner)
        : io_(io),
          settings_(settings),
          network_(logger.child("net")),
          kill_switch_(logger.child("killswitch")),
          journal_(settings.state_dir),
          sink_(std::move(sink)),
          logger_(logger),
          owner_(std::move(owner)) {
        if (owner_)
            return;  // the journal belongs to vpnsed, if one runs
        // A daemon restarted after a crash runs no tunnels yet: whatever the journal lists is stale.
        auto report = vpnse::platform::recover_stale(journal_, {}, {}, logger.child("recovery"));
        for (const auto& id : report.recovered)
            logger.info("removed stale tunnel configuration", {{"tunnel", id}});
        for (const auto& e : report.errors)
            logger.warn("recovery problem", {{"error", e}});
    }

    std::unique_ptr<service::TunnelHandle> create(const vpnse::Profile& profile,
                                                  service::TunnelObserver& observer) override {
        TunnelParts parts{devices_,
                          network_,
                          kill_switch_,
                          journal_,
                          metric_slots_,
                          settings_,
                          sink_,
                          [this](const std::string& id) { return make_dns(id); },
                          vpnse::platform::watch_routes,
                          vpnse::platform::host_name(),
                          machine_id_,
                          nullptr,
                          owner_};
        return std::make_unique<Tunnel>(io_, profile, observer, std::move(parts));
    }

    bool kill_switch_kept(const std::string& name) const override {
        if (owner_)
            return false;  // a reporting tunnel has no kill switch of its own
        auto entries = journal_.load_all();
        return entries && std::any_of(entries->begin(), entries->end(), [&](const auto& entry) {
                   return entry.tunnel_id == name && entry.kill_switch;
               });
    }

  private:
    vpnse::Result<std::unique_ptr<vpnse::platform::DnsConfigurator>> make_dns(const std::string& tunnel_id) {
        if (shared_dns_)
            return shared_dns_->view(tunnel_id);
        vpnse::platform::DnsBackendOptions options;
        options.backend = dns_backend_of(settings_.dns_backend);
        options.backup_path = settings_.state_dir + "/resolv.conf.orig";
        auto dns = vpnse::platform::make_dns_configurator(options, logger_.child("dns." + tunnel_id));
        if (!dns)
            return std::move(dns).error();
        if ((*dns)->backend() == "resolved")
            return std::move(dns).value();
        // resolv.conf is host-wide: every tunnel shares one backend (tunnel/shared_dns.hpp).
        shared_dns_ = std::make_unique<SharedDns>(std::move(dns).value());
        return shared_dns_->view(tunnel_id);
    }

    asio::io_context& io_;
    const settings::DaemonSettings& settings_;
    vpnse::platform::LinuxTunDeviceFactory tun_factory_;
    vpnse::platform::TunPacketDeviceFactory devices_{tun_factory_};
    const std::string machine_id_ = vpnse::platform::machine_id();
    vpnse::platform::LinuxNetworkConfigurator network_;
    vpnse::platform::NftKillSwitch kill_switch_;
    vpnse::platform::StateJournal journal_;
    vpnse::platform::RouteMetricSlots metric_slots_;
    std::shared_ptr<const vpnse::LogSink> sink_;
    vpnse::Logger logger_;
    std::unique_ptr<SharedDns> shared_dns_;
    NetworkOwner owner_;
};

}  // namespace

std::unique_ptr<service::TunnelFactory> make_tunnel_factory(asio::io_context& io,
                                                            const settings::DaemonSettings& settings,
                                                            const vpnse::Logger& logger) {
    return std::make_unique<LinuxTunnelFactory>(io, settings, logger, logger.sink(), nullptr);
}

std::unique_ptr<service::TunnelFactory> make_reporting_tunnel_factory(
    asio::io_context& io, const settings::DaemonSettings& settings, const vpnse::Logger& logger,
    NetworkOwner owner) {
    return std::make_unique<LinuxTunnelFactory>(io, settings, logger, logger.sink(), std::move(owner));
}

}  // namespace vpnsed::tunnel
