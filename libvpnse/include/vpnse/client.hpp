#pragma once
// The embeddable C++ client: one SoftEther session with its virtual Ethernet endpoint, exchanging
// L3 packets with its host. vpnsed runs one per tunnel; the C API (vpnse.h) wraps it.
//
// Threading: a Client lives on one asio::io_context; every member function must be called from a
// thread running that context, and every callback is invoked there.
#include <asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vpnse/error.hpp"
#include "vpnse/ip.hpp"
#include "vpnse/log.hpp"
#include "vpnse/profile.hpp"
#include "vpnse/result.hpp"
#include "vpnse/tunnel_state.hpp"
#include "vpnse/udp_stats.hpp"

namespace vpnse {

namespace transport {
class SessionFactory;
}

struct Route {
    Cidr destination;                  // 10.1.0.0/16
    std::optional<IpAddress> gateway;  // none: on-link
    friend bool operator==(const Route&, const Route&) = default;
};

// The tunnel's L3 configuration, learned by DHCP (or static), for the host to configure its TUN.
struct TunnelNetwork {
    Cidr address;  // 192.168.30.10/24: the interface address with its on-link prefix
    std::optional<IpAddress> gateway;
    std::vector<IpAddress> dns;
    std::string domain;
    std::vector<std::string> search_domains;
    std::vector<Route> routes;  // classless static routes pushed by DHCP
    std::uint32_t mtu = 0;
    std::chrono::seconds lease_time{0};
    std::vector<Cidr> ipv6_addresses;  // fe80::.../64, 2001:db8::.../64
    std::vector<IpAddress> ipv6_dns;
    friend bool operator==(const TunnelNetwork&, const TunnelNetwork&) = default;
};

struct ClientStats {
    std::uint64_t bytes_in = 0, bytes_out = 0;  // IP payload bytes to / from the host
    std::uint64_t packets_in = 0, packets_out = 0;
    std::uint64_t frames_in = 0, frames_out = 0;  // Ethernet frames on the hub side
    std::uint64_t dropped = 0;
    std::uint32_t connections = 0;           // open TCP connections of the session
    std::uint32_t upload_connections = 0;    // of them, carrying client-to-server data
    std::uint32_t download_connections = 0;  // carrying server-to-client data
    // What the server's welcome settled for this session.
    bool encrypted = false;  // data channel inside TLS (false: raw after the login, use_encrypt=0)
    bool compressed = false;
    bool half_connection = false;
    std::uint32_t reconnects = 0;
    std::chrono::seconds uptime{0};  // since established
    std::string session_name;        // server's, e.g. "SID-ALICE-22"
    std::string server_version;      // hello string + version/build
    // The peer of the TCP connections, "10.0.0.1": the server, or the proxy when the profile has one.
    // This is what must stay reachable outside the tunnel.
    std::string server_address;
    std::uint16_t server_port = 0;
    std::string tls;  // "TLSv1.2 TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256"
    // SHA-256 of the server certificate (DER), lower-case hex: what tls.fingerprint pins.
    std::string server_fingerprint;
    UdpAccelStats udp;  // of the current session
};

struct ClientCallbacks {
    std::function<void(TunnelState state, const Error& last_error)> on_state;
    std::function<void(const TunnelNetwork& network)> on_network;            // new or changed configuration
    std::function<void(std::span<const std::uint8_t> ip_packet)> on_packet;  // to the TUN
    std::function<void(std::string_view message)> on_server_message;         // the hub's welcome message
    // tls.verify = "tofu" without ClientOptions::trusted_server_sha256: the first session's server
    // certificate, for the host to record and hand back as trusted_server_sha256 next time. Later
    // attempts of this Client already require it.
    std::function<void(const std::array<std::uint8_t, 32>& sha256)> on_server_trusted;
};

// A socket's native handle: a file descriptor on POSIX systems, a SOCKET on Windows.
using NativeSocket = std::intptr_t;

struct ClientOptions {
    std::shared_ptr<const LogSink> log_sink;  // null: no logs
    LogLevel log_level = LogLevel::info;
    // Called with every socket the client opens to the server, before it connects, so the host can keep
    // it outside the tunnel (vpnsed: a firewall mark for its policy routing; Android:
    // VpnService.protect). An error fails that connection. Null: nothing to do.
    std::function<Status(NativeSocket socket)> protect_socket;
    // This machine's name, sent at login and in DHCP requests; the library asks the OS for nothing.
    // Empty: "vpnse".
    std::string host_name;
    std::array<std::uint8_t, 6> mac{};         // hub-side MAC; all-zero: derived from profile.mac or random
    std::array<std::uint8_t, 20> unique_id{};  // per-installation id sent at login; zero: random
    // How sessions reach the server; null: TLS over TCP (the only one outside libvpnse's own tests).
    std::shared_ptr<transport::SessionFactory> session_factory;
    // tls.verify = "tofu": the fingerprint recorded on first use (the host's storage); the server's
    // certificate must match it. None: this is the first use (see ClientCallbacks::on_server_trusted).
    std::optional<std::array<std::uint8_t, 32>> trusted_server_sha256;
};

// Callbacks may call any member function, and may destroy the Client (e.g. tear the tunnel down when the
// host cannot configure it); nothing of the Client is touched after that.
class Client {
  public:
    Client(asio::io_context& io, Profile profile, ClientCallbacks callbacks, ClientOptions options = {});
    ~Client();  // closes everything cleanly; no callback fires after it starts
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    void connect();     // asynchronous; progress through on_state
    void disconnect();  // asynchronous clean close (TLS close_notify); ends in TunnelState::disconnected
    // The host's network changed under the session (uplink address or link gone): drop the connections
    // now and log in again at once instead of waiting for the keep-alive time-out. No-op unless a
    // session is up or being set up.
    void reconnect_now(std::string_view reason);

    TunnelState state() const;
    const Error& last_error() const;
    ClientStats stats() const;
    std::optional<TunnelNetwork> network() const;
    const Profile& profile() const;

    // An IPv4/IPv6 packet from the host (TUN); dropped unless established.
    void send_packet(std::span<const std::uint8_t> ip_packet);

  private:
    class Impl;
    // Shared with the handlers on the io_context, so that it outlives a callback that destroys the Client.
    std::shared_ptr<Impl> impl_;
};

}  // namespace vpnse
