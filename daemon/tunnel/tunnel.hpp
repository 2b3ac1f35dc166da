#pragma once
// One tunnel as vpnsed runs it, on any OS: a vpnse::Client, its packet device, and the host
// configuration (addresses, routes, DNS, kill switch) applied through the platform interfaces and
// journalled before every change, so a daemon restarted after a crash can undo it
// (docs/platform-linux.md). Everything OS-specific sits behind TunnelParts; the Linux parts are wired in
// tunnel_factory_linux.cpp.
//
// Two modes: the daemon applies the network configuration itself, or (NetworkOwner set) it reports it
// to an outside owner such as NetworkManager, which applies addresses, routes and DNS.
#include <asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "platform/dns_configurator.hpp"
#include "platform/kill_switch.hpp"
#include "platform/network_configurator.hpp"
#include "platform/network_watch.hpp"
#include "platform/packet_device.hpp"
#include "platform/route_metric_slots.hpp"
#include "platform/state_journal.hpp"
#include "service/tunnel_factory.hpp"
#include "settings/daemon_settings.hpp"
#include "vpnse/client.hpp"
#include "vpnse/log.hpp"

namespace vpnsed::tunnel {

// What a tunnel hands an outside owner in "report, don't apply" mode.
struct NetworkReport {
    std::string tunnel_id;
    std::string ifname;
    int ifindex = 0;
    vpnse::TunnelNetwork network;
    vpnse::platform::ServerEndpoint server;  // to keep outside the tunnel
    bool full_tunnel = false;
};
using NetworkOwner = std::function<void(const NetworkReport& report)>;

// The platform objects tunnels share, and the host's facts.
struct TunnelParts {
    vpnse::platform::PacketDeviceFactory& devices;
    vpnse::platform::NetworkConfigurator& network;
    vpnse::platform::KillSwitch& kill_switch;
    vpnse::platform::StateJournal& journal;
    vpnse::platform::RouteMetricSlots& metric_slots;
    const settings::DaemonSettings& settings;
    std::shared_ptr<const vpnse::LogSink> log_sink;
    // A DNS configurator for one tunnel (per link with resolved, shared with resolv.conf).
    std::function<vpnse::Result<std::unique_ptr<vpnse::platform::DnsConfigurator>>(
        const std::string& tunnel_id)>
        make_dns;
    vpnse::platform::NetworkWatchFactory watch;  // null: removed routes are not put back
    std::string host_name;
    std::string machine_id;  // for the profile's stable MAC address
    // Null: sessions over TLS/TCP (tests plug in a fake transport).
    std::shared_ptr<vpnse::transport::SessionFactory> sessions;
    NetworkOwner network_owner;  // set: report the configuration instead of applying it
};

class Tunnel final : public service::TunnelHandle {
  public:
    Tunnel(asio::io_context& io, const vpnse::Profile& profile, service::TunnelObserver& observer,
           TunnelParts parts);
    ~Tunnel() override;

    void connect() override;
    void disconnect() override;
    service::TunnelSnapshot status() const override;

  private:
    vpnse::Status create_client();
    // tls.verify = "tofu": hands the client what was recorded, and records what it trusts first.
    vpnse::Status trust_on_first_use(vpnse::ClientCallbacks& callbacks, vpnse::ClientOptions& options);
    void on_state(vpnse::TunnelState state, const vpnse::Error& error);
    void on_network(const vpnse::TunnelNetwork& network);
    vpnse::Status configure_host(const vpnse::TunnelNetwork& network);
    vpnse::Status open_device();
    vpnse::Result<vpnse::platform::TunnelNetworkSettings> network_settings(
        const vpnse::TunnelNetwork& network);
    vpnse::Status apply_network(const vpnse::TunnelNetwork& network);
    void watch_network();
    std::optional<vpnse::platform::KillSwitchRecord> kept_kill_switch() const;
    void remove_network();
    void teardown_host(bool release_kill_switch);
    void reconcile();

    asio::io_context& io_;
    vpnse::Profile profile_;
    service::TunnelObserver& observer_;
    TunnelParts parts_;
    vpnse::Logger logger_;
    std::unique_ptr<vpnse::Client> client_;
    std::unique_ptr<vpnse::platform::PacketDevice> device_;
    std::optional<vpnse::platform::NetworkPlan> plan_;
    std::unique_ptr<vpnse::platform::DnsConfigurator> dns_;
    std::optional<vpnse::platform::KillSwitchRecord> kill_switch_;
    std::optional<vpnse::TunnelNetwork> applied_;
    std::unique_ptr<vpnse::platform::NetworkWatch> watch_;
    vpnse::Error host_error_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The interface name for a profile: "vse-" and up to 11 characters of its name.
std::string interface_name_for(const std::string& profile_name);
// A stable locally administered MAC for a profile on this machine (from its machine id), so the
// server's DHCP lease survives reconnects and restarts (softether-protocol-advanced.md 4.3).
std::array<std::uint8_t, 6> stable_mac_for(const std::string& machine_id, const std::string& profile_name);

}  // namespace vpnsed::tunnel
