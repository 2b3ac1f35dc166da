// The OS-neutral Tunnel against the platform fakes and a fake transport: connect, lease changes,
// reconnects, teardown and failures halfway, in milliseconds and without namespaces.
#include "tunnel/tunnel.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "platform/fake/fake_platform.hpp"
#include "platform/linux/tun_packet_device.hpp"
#include "support/fake_session.hpp"
#include "unit/libvpnse/ether/ether_test_support.hpp"

using namespace vpnsed;
using namespace std::chrono_literals;
namespace platform = vpnse::platform;
using vpnse::TunnelState;

namespace {

// A DNS backend whose calls outlive it (the tunnel owns and destroys its configurator).
class LoggedDns final : public platform::DnsConfigurator {
  public:
    explicit LoggedDns(std::vector<std::string>& log) : log_(log) {}
    std::string backend() const override { return "fake"; }
    platform::DnsRecord describe(const platform::DnsSettings&) const override { return {}; }
    vpnse::Status apply(const platform::DnsSettings& settings) override {
        log_.push_back("dns apply " + settings.ifname);
        return {};
    }
    vpnse::Status revert() override {
        log_.push_back("dns revert");
        return {};
    }

  private:
    std::vector<std::string>& log_;
};

struct Observer : service::TunnelObserver {
    std::vector<TunnelState> states;
    vpnse::Error last_error;
    void on_state(TunnelState state, const vpnse::Error& error) override {
        states.push_back(state);
        last_error = error;
    }
};

struct Harness {
    explicit Harness(vpnse::Profile p = profile()) : profile_(std::move(p)) {
        state_dir = std::filesystem::temp_directory_path() / ("vpnse-tunnel-" + std::to_string(::getpid()));
        std::filesystem::remove_all(state_dir);
        settings.state_dir = state_dir.string();
        settings.dns_backend = settings::DnsBackend::resolvconf;
    }
    ~Harness() {
        tunnel.reset();
        std::filesystem::remove_all(state_dir);
    }

    static vpnse::Profile profile() {
        vpnse::Profile p;
        p.name = "office";
        p.host = "192.0.2.1";
        p.hub = "TEST";
        p.username = "alice";
        p.auth_method = vpnse::AuthMethod::anonymous;
        p.tls_verify = vpnse::TlsVerify::insecure;
        p.ipv6 = false;
        p.reconnect_initial_ms = 5;
        p.reconnect_max_ms = 5;
        return p;
    }

    tunnel::TunnelParts parts() {
        return tunnel::TunnelParts{devices,
                                   network,
                                   kill_switch,
                                   journal,
                                   slots,
                                   settings,
                                   nullptr,
                                   [this](const std::string&) {
                                       return vpnse::Result<std::unique_ptr<platform::DnsConfigurator>>(
                                           std::make_unique<LoggedDns>(dns_log));
                                   },
                                   nullptr,
                                   "test-host",
                                   "machine",
                                   sessions,
                                   owner};
    }
    void start() {
        tunnel = std::make_unique<tunnel::Tunnel>(io, profile_, observer, parts());
        tunnel->connect();
        run();
    }
    void run() {
        for (int i = 0; i < 5; ++i) {
            io.restart();
            io.run_for(2ms);
        }
    }
    std::shared_ptr<test_support::FakeSession> session() {
        return hub.sessions.empty() ? nullptr : hub.sessions.back().lock();
    }
    // The session comes up and the hub's SecureNAT answers until the client is quiet.
    void establish() {
        for (int i = 0; i < 100 && !session(); ++i)
            run();
        session()->establish();
        run();
        for (int round = 0; round < 10 && answered < hub.sent.size(); ++round) {
            std::vector<vpnse::Bytes> replies;
            while (answered < hub.sent.size())
                for (auto& reply : nat.on_frame(hub.sent[answered++]))
                    replies.push_back(std::move(reply));
            auto current = session();
            if (!current)
                break;  // the tunnel gave up meanwhile
            current->deliver(replies);
            run();
        }
    }
    bool journalled() const { return std::filesystem::exists(state_dir / "tunnel-office.json"); }

    asio::io_context io;
    vpnse::Profile profile_;
    std::filesystem::path state_dir;
    settings::DaemonSettings settings;
    platform::FakeTunDeviceFactory tuns;
    platform::TunPacketDeviceFactory devices{tuns};
    platform::FakeNetworkConfigurator network;
    platform::FakeKillSwitch kill_switch;
    platform::StateJournal journal{std::filesystem::temp_directory_path() /
                                   ("vpnse-tunnel-" + std::to_string(::getpid()))};
    platform::RouteMetricSlots slots;
    std::vector<std::string> dns_log;
    test_support::FakeHub hub;
    std::shared_ptr<vpnse::transport::SessionFactory> sessions =
        std::make_shared<test_support::FakeSessionFactory>(hub);
    tunnel::NetworkOwner owner;
    ether_test::FakeSecureNat nat;
    std::size_t answered = 0;
    Observer observer;
    std::unique_ptr<tunnel::Tunnel> tunnel;
};

}  // namespace

TEST_CASE("tunnel: connect configures the host; disconnect undoes all of it") {
    Harness h;
    h.nat.push_routes = {{ether_test::ip4("10.1.0.0"), 16, ether_test::ip4("192.168.30.1")}};
    h.start();
    h.establish();
    REQUIRE(h.observer.states.back() == TunnelState::established);
    REQUIRE(h.tuns.opened.size() == 1);
    CHECK(h.tuns.opened[0].name == "vse-office");
    REQUIRE(h.network.active.count("office") == 1);
    const auto& plan = h.network.active["office"];
    REQUIRE(plan.routes.size() == 1);
    CHECK(plan.routes[0].destination.to_string() == "10.1.0.0/16");
    CHECK(h.journalled());
    CHECK(h.dns_log == std::vector<std::string>{"dns apply vse-office"});
    CHECK(h.slots.acquire("other") == 1);  // the tunnel holds slot 0

    h.tunnel->disconnect();
    h.run();
    CHECK(h.observer.states.back() == TunnelState::disconnected);
    CHECK_FALSE(h.observer.last_error);
    CHECK(h.network.calls == std::vector<std::string>{"apply office", "remove office"});
    CHECK(h.network.active.empty());
    CHECK(h.dns_log == std::vector<std::string>{"dns apply vse-office", "dns revert"});
    CHECK_FALSE(h.journalled());
    CHECK(*h.tuns.closed == std::vector<std::string>{"vse-office"});  // the device is closed
    h.slots.release("other");
    CHECK(h.slots.acquire("third") == 0);  // and its metric slot free
}

TEST_CASE("tunnel: a reconnect with the same lease leaves the host alone; a new lease replaces it") {
    Harness h;
    h.nat.push_routes = {{ether_test::ip4("10.1.0.0"), 16, ether_test::ip4("192.168.30.1")}};
    h.start();
    h.establish();
    REQUIRE(h.network.calls == std::vector<std::string>{"apply office"});

    h.session()->lose(vpnse::Error(vpnse::ErrorCode::disconnected, "the server closed a connection"));
    h.run();
    CHECK(h.observer.states.back() != TunnelState::disconnected);
    CHECK(h.network.active.count("office") == 1);  // routes stay while reconnecting
    h.establish();
    CHECK(h.observer.states.back() == TunnelState::established);
    CHECK(h.network.calls == std::vector<std::string>{"apply office"});

    h.nat.push_routes = {{ether_test::ip4("10.2.0.0"), 16, ether_test::ip4("192.168.30.1")}};
    h.session()->lose(vpnse::Error(vpnse::ErrorCode::disconnected, "the server closed a connection"));
    h.run();
    h.establish();
    CHECK(h.network.calls == std::vector<std::string>{"apply office", "remove office", "apply office"});
    REQUIRE(h.network.active["office"].routes.size() == 1);
    CHECK(h.network.active["office"].routes[0].destination.to_string() == "10.2.0.0/16");
    CHECK(h.dns_log ==
          std::vector<std::string>{"dns apply vse-office", "dns revert", "dns apply vse-office"});
    CHECK(h.tuns.opened.size() == 1);  // one device throughout
}

TEST_CASE("tunnel: a platform call failing halfway undoes everything already applied") {
    auto profile = Harness::profile();
    profile.route_mode = vpnse::RouteMode::full;
    profile.kill_switch = true;
    Harness h(profile);
    h.network.fail_apply = vpnse::Error(vpnse::ErrorCode::already_exists, "add rule: File exists");
    h.start();
    h.establish();
    CHECK(h.observer.states.back() == TunnelState::disconnected);
    CHECK(h.observer.last_error.code() == vpnse::ErrorCode::already_exists);
    CHECK(h.kill_switch.calls == std::vector<std::string>{"engage office", "release inet vpnse_office"});
    CHECK(h.kill_switch.engaged.empty());
    CHECK(h.network.active.empty());
    CHECK_FALSE(h.journalled());
    CHECK(*h.tuns.closed == std::vector<std::string>{"vse-office"});
    CHECK(h.tunnel->status().last_error.code() == vpnse::ErrorCode::already_exists);
}

TEST_CASE("tunnel: the device failing to open fails the tunnel cleanly") {
    Harness h;
    h.tuns.fail_next =
        vpnse::Error(vpnse::ErrorCode::permission_denied, "TUNSETIFF: Operation not permitted");
    h.start();
    h.establish();
    CHECK(h.observer.states.back() == TunnelState::disconnected);
    CHECK(h.observer.last_error.code() == vpnse::ErrorCode::permission_denied);
    CHECK(h.network.calls.empty());
    CHECK_FALSE(h.journalled());
}

TEST_CASE("tunnel: report mode hands the configuration to its owner and applies nothing") {
    Harness h;
    std::vector<tunnel::NetworkReport> reports;
    h.owner = [&reports](const tunnel::NetworkReport& report) { reports.push_back(report); };
    h.start();
    h.establish();
    CHECK(h.observer.states.back() == TunnelState::established);
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].ifname == "vse-office");
    CHECK(reports[0].network.address.address.to_string() == "192.168.30.10");
    CHECK(reports[0].server.address.to_string() == "192.0.2.1");
    CHECK_FALSE(reports[0].full_tunnel);
    CHECK(h.network.calls.empty());
    CHECK(h.dns_log.empty());
    CHECK_FALSE(h.journalled());
    h.tunnel->disconnect();
    h.run();
    CHECK(*h.tuns.closed == std::vector<std::string>{"vse-office"});
}

TEST_CASE("tunnel: packets cross between the device and the session") {
    Harness h;
    h.start();
    h.establish();
    auto* device = h.tuns.devices["vse-office"];
    REQUIRE(device);
    // The hub sends an echo request to the lease: it comes out of the device's kernel side.
    const auto to_host = ether_test::icmp_echo(h.nat.address, ether_test::ip4("192.168.30.10"));
    h.session()->deliver({ether_test::frame(vpnse::ether::MacAddress::broadcast(), h.nat.mac,
                                            vpnse::ether::kEtherTypeIpv4, to_host)});
    h.run();
    std::uint8_t buffer[2048];
    const auto n = ::recv(device->peer_fd(), buffer, sizeof buffer, MSG_DONTWAIT);
    REQUIRE(n == static_cast<ssize_t>(to_host.size()));
    // The host answers through the device: it leaves as a frame for the hub.
    const auto sent_before = h.hub.sent.size();
    const auto reply = ether_test::icmp_echo(ether_test::ip4("192.168.30.10"), h.nat.address, 2);
    REQUIRE(::send(device->peer_fd(), reply.data(), reply.size(), 0) == static_cast<ssize_t>(reply.size()));
    h.run();
    CHECK(h.hub.sent.size() > sent_before);
}
