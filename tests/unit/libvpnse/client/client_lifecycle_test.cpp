// vpnse::Client against a fake transport: the session's events are driven by the test, the hub's
// SecureNAT is the ether tests' fake. The destruction cases fail under ASan when any callback path
// touches the Client after the host destroyed it from inside a callback.
#include <algorithm>
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "support/fake_session.hpp"
#include "unit/libvpnse/ether/ether_test_support.hpp"
#include "vpnse/client.hpp"

namespace {

using namespace vpnse;
using ether_test::FakeSecureNat;
using test_support::FakeHub;
using test_support::FakeSession;
using test_support::FakeSessionFactory;

Profile test_profile() {
    Profile profile;
    profile.name = "lifecycle";
    profile.host = "192.0.2.1";
    profile.hub = "TEST";
    profile.username = "alice";
    profile.auth_method = AuthMethod::anonymous;
    profile.tls_verify = TlsVerify::insecure;
    profile.ipv6 = false;
    profile.reconnect_initial_ms = 10;
    profile.reconnect_max_ms = 10;
    return profile;
}

// One client on a fake transport, with the hub's SecureNAT answering what it sends.
struct Harness {
    asio::io_context io;
    FakeHub hub;
    FakeSecureNat nat;
    std::size_t answered = 0;
    std::unique_ptr<Client> client;
    std::vector<TunnelState> states;
    std::vector<TunnelNetwork> networks;
    std::vector<Bytes> packets;
    std::vector<std::string> messages;

    std::vector<std::string> log_lines;  // "component: message"

    explicit Harness(ClientCallbacks extra = {}, Profile profile = test_profile(), ClientOptions base = {}) {
        ClientCallbacks callbacks;
        callbacks.on_state = [this, extra](TunnelState state, const Error& error) {
            states.push_back(state);
            if (extra.on_state)
                extra.on_state(state, error);
        };
        callbacks.on_network = [this, extra](const TunnelNetwork& network) {
            networks.push_back(network);
            if (extra.on_network)
                extra.on_network(network);
        };
        callbacks.on_packet = [this, extra](std::span<const std::uint8_t> packet) {
            packets.emplace_back(packet.begin(), packet.end());
            if (extra.on_packet)
                extra.on_packet(packet);
        };
        callbacks.on_server_message = [this, extra](std::string_view message) {
            messages.emplace_back(message);
            if (extra.on_server_message)
                extra.on_server_message(message);
        };
        callbacks.on_server_trusted = extra.on_server_trusted;
        ClientOptions options = std::move(base);
        options.session_factory = std::make_shared<FakeSessionFactory>(hub);
        options.log_sink = std::make_shared<const LogSink>([this](const LogRecord& record) {
            log_lines.push_back(std::string(record.component) + ": " + std::string(record.message));
        });
        client = std::make_unique<Client>(io, std::move(profile), std::move(callbacks), options);
    }

    std::shared_ptr<FakeSession> session() const {
        return hub.sessions.empty() ? nullptr : hub.sessions.back().lock();
    }
    void run() {
        io.restart();
        io.poll();
    }
    // Answers what the client sent since the last call, as the hub would, until both are quiet.
    void exchange() {
        for (int round = 0; round < 10 && answered < hub.sent.size(); ++round) {
            std::vector<Bytes> replies;
            while (answered < hub.sent.size()) {
                for (auto& reply : nat.on_frame(hub.sent[answered++]))
                    replies.push_back(std::move(reply));
            }
            if (auto s = session())
                s->deliver(replies);
            run();
        }
    }
    void establish(std::string message = {}) {
        client->connect();
        run();
        session()->establish(std::move(message));
        run();
        exchange();
    }
    // An ICMP echo from the gateway to the client's leased address, inside a hub frame.
    Bytes echo_frame() const {
        const auto address = ether::Ipv4Address::parse(networks.back().address.address.to_string());
        const auto packet = ether_test::icmp_echo(nat.address, *address);
        ether::MacAddress destination = ether::MacAddress::broadcast();
        return ether_test::frame(destination, nat.mac, ether::kEtherTypeIpv4, packet);
    }
};

}  // namespace

TEST_CASE("client: connect, configure and carry a packet over a fake transport", "[client]") {
    Harness h;
    h.establish("welcome");
    REQUIRE(h.client->state() == TunnelState::established);
    REQUIRE(h.states == std::vector<TunnelState>{TunnelState::connecting, TunnelState::authenticating,
                                                 TunnelState::configuring, TunnelState::established});
    REQUIRE(h.networks.size() == 1);
    CHECK(h.networks[0].address.address.to_string() == "192.168.30.10");
    CHECK(h.messages == std::vector<std::string>{"welcome"});
    h.session()->deliver({h.echo_frame()});
    CHECK(h.packets.size() == 1);
}

TEST_CASE("client: tofu trusts the first session's certificate once and reports it", "[client]") {
    auto profile = test_profile();
    profile.tls_verify = TlsVerify::tofu;
    std::vector<std::array<std::uint8_t, 32>> trusted;
    ClientCallbacks extra;
    extra.on_server_trusted = [&](const std::array<std::uint8_t, 32>& sha256) { trusted.push_back(sha256); };
    Harness h(extra, profile);
    h.establish();
    REQUIRE(trusted.size() == 1);
    CHECK(trusted[0] == h.hub.server_cert_sha256);
    CHECK(h.client->stats().server_fingerprint.substr(0, 6) == "abcd00");
    h.session()->lose(Error(ErrorCode::disconnected, "the server closed a connection"));
    for (int i = 0; i < 200 && h.hub.sessions.size() < 2; ++i) {
        h.io.restart();
        h.io.run_for(std::chrono::milliseconds(5));
    }
    REQUIRE(h.hub.sessions.size() == 2);
    h.session()->establish();
    h.run();
    CHECK(trusted.size() == 1);  // the reconnect already required it; nothing new to record

    // A client given the recorded fingerprint does not trust anew.
    ClientOptions known;
    known.trusted_server_sha256 = h.hub.server_cert_sha256;
    std::vector<std::array<std::uint8_t, 32>> trusted_again;
    extra.on_server_trusted = [&](const std::array<std::uint8_t, 32>& sha256) {
        trusted_again.push_back(sha256);
    };
    Harness second(extra, profile, known);
    second.establish();
    CHECK(second.client->state() == TunnelState::established);
    CHECK(trusted_again.empty());
}

TEST_CASE("client: a profile's proxy and certificate errors reach the session settings", "[client]") {
    auto profile = test_profile();
    profile.proxy_type = ProxyType::socks5;
    profile.proxy_host = "10.0.0.1";
    profile.proxy_port = 1080;
    profile.proxy_username = "u";
    profile.proxy_password = "p";
    Harness h({}, profile);
    h.client->connect();
    h.run();
    REQUIRE(h.hub.settings.size() == 1);
    REQUIRE(h.hub.settings[0].proxy);
    CHECK(h.hub.settings[0].proxy->type == proto::ProxyType::socks5);
    CHECK(h.hub.settings[0].proxy->host == "10.0.0.1");
    CHECK(h.hub.settings[0].proxy->port == 1080);
    CHECK(h.hub.settings[0].host == "192.0.2.1");

    auto certificate = test_profile();
    certificate.auth_method = AuthMethod::certificate;
    certificate.cert_file = "/nonexistent/vpnse-test.pem";
    certificate.key_file = "/nonexistent/vpnse-test.key";
    Harness c({}, certificate);
    c.client->connect();
    c.run();
    CHECK(c.client->state() == TunnelState::disconnected);
    CHECK(c.client->last_error().code() == ErrorCode::config_invalid);
    CHECK(c.client->last_error().message() == "auth.cert_file /nonexistent/vpnse-test.pem: cannot open file");
    CHECK(c.hub.sessions.empty());
}

TEST_CASE("client: logs reach the host's sink", "[client]") {
    Harness h;
    h.establish();
    const auto configured =
        std::find(h.log_lines.begin(), h.log_lines.end(), "vpnse.lifecycle: network configured");
    CHECK(configured != h.log_lines.end());
}

TEST_CASE("client: a lost session is retried with a new one, and disconnect stops it", "[client]") {
    Harness h;
    h.establish();
    const auto first = h.session();
    first->lose(Error(ErrorCode::disconnected, "the server closed a connection"));
    CHECK(h.client->state() == TunnelState::reconnecting);
    for (int i = 0; i < 200 && h.hub.sessions.size() < 2; ++i) {
        h.io.restart();
        h.io.run_for(std::chrono::milliseconds(5));
    }
    REQUIRE(h.hub.sessions.size() == 2);
    CHECK(h.client->stats().reconnects == 1);
    const auto second = h.session();
    h.client->disconnect();
    CHECK(h.client->state() == TunnelState::disconnected);
    CHECK(second->stopped());
}

TEST_CASE("client: callbacks of a replaced session are ignored", "[client]") {
    Harness h;
    h.establish();
    const auto old = h.session();
    h.client->disconnect();
    h.client->connect();
    h.run();
    const auto states = h.states.size();
    old->deliver({h.echo_frame()});  // stopped: the fake says nothing, and the client would not listen
    CHECK(h.states.size() == states);
    CHECK(h.packets.empty());
}

TEST_CASE("client: the host may destroy the client from inside each callback", "[client][lifecycle]") {
    // Each section destroys the client at one point; ASan reports any use of it afterwards.
    std::unique_ptr<Client>* owner = nullptr;
    auto destroy = [&owner] { owner->reset(); };
    // Callbacks that destroy the client when it reports `when`.
    auto destroy_on = [&destroy](TunnelState when) {
        ClientCallbacks extra;
        extra.on_state = [&destroy, when](TunnelState state, const Error&) {
            if (state == when)
                destroy();
        };
        return extra;
    };

    SECTION("on_state: connecting") {
        Harness h(destroy_on(TunnelState::connecting));
        owner = &h.client;
        h.client->connect();
        h.run();
        CHECK(h.client == nullptr);
        CHECK(h.hub.sessions.empty());  // no session was started for a client that is gone
    }
    SECTION("on_state: authenticating") {
        Harness h(destroy_on(TunnelState::authenticating));
        owner = &h.client;
        h.client->connect();
        h.run();
        h.session()->establish();
        h.run();
        CHECK(h.client == nullptr);
        CHECK(h.session() == nullptr);  // the client released its session
    }
    SECTION("on_server_message") {
        ClientCallbacks extra;
        extra.on_server_message = [&](std::string_view) { destroy(); };
        Harness h(extra);
        owner = &h.client;
        h.client->connect();
        h.run();
        auto session = h.session();
        session->establish("hello");
        h.run();
        CHECK(h.client == nullptr);
        CHECK(session->stopped());
    }
    SECTION("on_state: configuring") {
        Harness h(destroy_on(TunnelState::configuring));
        owner = &h.client;
        h.client->connect();
        h.run();
        auto session = h.session();
        session->establish();
        h.run();
        CHECK(h.client == nullptr);
        CHECK(session->stopped());
    }
    SECTION("on_network (a host that cannot configure the tunnel), in the middle of a burst") {
        ClientCallbacks extra;
        extra.on_network = [&](const TunnelNetwork&) { destroy(); };
        Harness h(extra);
        owner = &h.client;
        h.client->connect();
        h.run();
        auto session = h.session();
        session->establish();
        h.run();
        // DISCOVER → OFFER → REQUEST → ACK; the ACK arrives with more frames behind it.
        for (int round = 0; round < 4 && h.client; ++round) {
            std::vector<Bytes> replies;
            while (h.answered < h.hub.sent.size())
                for (auto& reply : h.nat.on_frame(h.hub.sent[h.answered++]))
                    replies.push_back(std::move(reply));
            if (!replies.empty()) {
                replies.push_back(replies.back());
                replies.push_back(replies.back());
            }
            session->deliver(replies);
            h.run();
        }
        CHECK(h.client == nullptr);
        CHECK(h.networks.size() == 1);
        CHECK(session->stopped());
    }
    SECTION("on_network: disconnect instead of destroy, then destroy on the disconnected state") {
        ClientCallbacks extra;
        Client* raw = nullptr;
        extra.on_network = [&](const TunnelNetwork&) { raw->disconnect(); };
        extra.on_state = [&](TunnelState state, const Error&) {
            if (state == TunnelState::disconnected)
                destroy();
        };
        Harness h(extra);
        owner = &h.client;
        raw = h.client.get();
        h.establish();
        CHECK(h.client == nullptr);
        CHECK(h.states.back() == TunnelState::disconnected);
    }
    SECTION("on_packet") {
        ClientCallbacks extra;
        extra.on_packet = [&](std::span<const std::uint8_t>) { destroy(); };
        Harness h(extra);
        owner = &h.client;
        h.establish();
        REQUIRE(h.client);
        const auto frame = h.echo_frame();
        h.session()->deliver({frame, frame, frame});
        h.run();
        CHECK(h.client == nullptr);
        CHECK(h.packets.size() == 1);
    }
    SECTION("on_state after the session was lost") {
        Harness h(destroy_on(TunnelState::reconnecting));
        owner = &h.client;
        h.establish();
        h.session()->lose(Error(ErrorCode::disconnected, "gone"));
        h.io.restart();
        h.io.run_for(std::chrono::milliseconds(50));
        CHECK(h.client == nullptr);
        CHECK(h.hub.sessions.size() == 1);  // no retry for a client that is gone
    }
    SECTION("on_state: disconnected after a permanent failure") {
        Harness h(destroy_on(TunnelState::disconnected));
        owner = &h.client;
        h.client->connect();
        h.run();
        h.session()->lose(Error(ErrorCode::auth_failed, "wrong password"));
        h.run();
        CHECK(h.client == nullptr);
    }
}

TEST_CASE("client: reconnect.max_attempts gives up after that many failed attempts in a row", "[client]") {
    auto profile = test_profile();
    profile.reconnect_max_attempts = 2;
    Harness h({}, profile);
    h.establish();
    h.session()->lose(Error(ErrorCode::disconnected, "the server closed a connection"));
    // Each new session fails at once; after the second failed attempt the client stops.
    for (int i = 0; i < 400 && h.client->state() != TunnelState::disconnected; ++i) {
        h.io.restart();
        h.io.run_for(std::chrono::milliseconds(5));
        if (auto s = h.session(); s && h.hub.sessions.size() > 1 && !s->stopped())
            s->lose(Error(ErrorCode::connect_failed, "cannot connect to 192.0.2.1:443: Connection refused"));
    }
    CHECK(h.client->state() == TunnelState::disconnected);
    CHECK(h.hub.sessions.size() == 3);  // the first, then 2 attempts
    CHECK(h.client->last_error().code() == ErrorCode::connect_failed);
    CHECK_THAT(h.client->last_error().message(), Catch::Contains("gave up after 2 reconnect attempts"));
}
