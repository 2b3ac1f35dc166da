#pragma once
// One tunnel as vpnsed runs it on Linux: a vpnse::Client, its TUN device, and the host configuration
// (addresses, routes, DNS, kill switch) applied through daemon/platform, journalled before every change
// so a daemon restarted after a crash can undo it (docs/platform-linux.md).
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "platform/dns_configurator.hpp"
#include "platform/host.hpp"
#include "platform/kill_switch.hpp"
#include "platform/linux/route_watch.hpp"
#include "platform/linux/tun_offload.hpp"
#include "platform/network_configurator.hpp"
#include "platform/route_metric_slots.hpp"
#include "platform/state_journal.hpp"
#include "platform/tun_device.hpp"
#include "service/tunnel_factory.hpp"
#include "settings/daemon_settings.hpp"
#include "vpnse/client.hpp"
#include "vpnse/log.hpp"

namespace vpnsed::tunnel {

// The platform objects all tunnels share.
struct PlatformParts {
    vpnse::platform::TunDeviceFactory& tun_factory;
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
};

class LinuxTunnel final : public service::TunnelHandle {
  public:
    LinuxTunnel(asio::io_context& io, const vpnse::Profile& profile, service::TunnelObserver& observer,
                PlatformParts parts);
    ~LinuxTunnel() override;

    void connect() override;
    void disconnect() override;
    service::TunnelSnapshot status() const override;

  private:
    void on_state(vpnse::TunnelState state, const vpnse::Error& error);
    void on_network(const vpnse::TunnelNetwork& network);
    void on_packet(std::span<const std::uint8_t> packet);
    vpnse::Status configure_host(const vpnse::TunnelNetwork& network);
    void teardown_host(bool release_kill_switch);
    void read_tun();
    void read_plain();
    void read_offloaded();
    void flush_tun_writes();
    void write_tun(std::span<const std::uint8_t> output);
    void reconcile();

    asio::io_context& io_;
    vpnse::Profile profile_;
    service::TunnelObserver& observer_;
    PlatformParts parts_;
    vpnse::Logger logger_;
    std::unique_ptr<vpnse::Client> client_;
    std::unique_ptr<vpnse::platform::TunDevice> tun_;
    std::optional<asio::posix::stream_descriptor> tun_stream_;
    std::optional<vpnse::platform::NetworkPlan> plan_;
    std::unique_ptr<vpnse::platform::DnsConfigurator> dns_;
    std::optional<vpnse::platform::KillSwitchRecord> kill_switch_;
    std::optional<vpnse::TunnelNetwork> applied_;
    std::unique_ptr<vpnse::platform::RouteWatch> route_watch_;
    vpnse::Error host_error_;
    std::vector<std::uint8_t> read_buffer_;
    // With TUN offloads: segments of a super-packet read from the TUN, and the packets for the TUN
    // gathered per burst (one flush posted per burst) and merged into super-packets.
    std::vector<std::uint8_t> segment_buffer_;
    vpnse::platform::PacketSink to_session_;
    std::size_t segments_this_wake_ = 0;
    vpnse::platform::TunWriteBatch write_batch_;
    vpnse::platform::PacketSink to_tun_;
    bool flush_posted_ = false;
    std::vector<std::uint8_t> refused_;  // a super-packet the kernel refused, to write in segments
    std::uint64_t tun_read_errors_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The interface name for a profile: "vse-" and up to 11 characters of its name.
std::string interface_name_for(const std::string& profile_name);
// A stable locally administered MAC for a profile on this machine (from /etc/machine-id), so the
// server's DHCP lease survives reconnects and restarts (softether-protocol-advanced.md 4.3).
std::array<std::uint8_t, 6> stable_mac_for(const std::string& profile_name);

}  // namespace vpnsed::tunnel
