// The client against the real SoftEther server (topology: README.md beside this file).
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>

#include "support/fixture.hpp"
#include "support/skip.hpp"
#include "vpnse/client.hpp"

namespace {

using namespace std::chrono_literals;
using vpnse::ErrorCode;
using vpnse::TunnelState;
using vpnse::test::SoftEtherFixture;

// One server for the whole run; the test process moves into the fixture's client namespace.
SoftEtherFixture* server() {
    static std::unique_ptr<SoftEtherFixture> fixture = [] {
        auto f = std::make_unique<SoftEtherFixture>(SoftEtherFixture::unique_name("se"));
        const std::string path = "/run/netns/" + f->env().client_ns;
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0)
            throw std::runtime_error("cannot enter " + path);
        ::close(fd);
        return f;
    }();
    return fixture.get();
}

#define REQUIRE_FIXTURE()                         \
    do {                                          \
        std::string why;                          \
        if (!SoftEtherFixture::available(&why)) { \
            vpnse::test::skip_or_fail(why);       \
            return;                               \
        }                                         \
    } while (0)

std::array<std::uint8_t, 32> parse_sha256(const std::string& hex) {
    std::array<std::uint8_t, 32> out{};
    for (std::size_t i = 0; i < out.size() && 2 * i + 1 < hex.size(); ++i) {
        out[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    }
    return out;
}

vpnse::Profile base_profile() {
    const auto& env = server()->env();
    vpnse::Profile p;
    p.name = "e2e";
    p.host = env.server_ip;
    p.port = env.server_port;
    p.hub = env.hub;
    p.username = env.user;
    p.password = env.password;
    p.auth_method = vpnse::AuthMethod::password;
    p.tls_verify = vpnse::TlsVerify::fingerprint;
    p.pinned_sha256 = parse_sha256(env.server_cert_sha256);
    p.reconnect_initial_ms = 500;
    p.reconnect_max_ms = 2000;
    return p;
}

std::uint32_t parse_ipv4(const std::string& text) {
    unsigned a = 0, b = 0, c = 0, d = 0;
    std::sscanf(text.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d);
    return (a << 24) | (b << 16) | (c << 8) | d;
}

std::uint16_t checksum(const std::uint8_t* data, std::size_t size) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < size; i += 2)
        sum += (data[i] << 8) | data[i + 1];
    if (size % 2)
        sum += data[size - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

std::vector<std::uint8_t> icmp_echo(std::uint32_t source, std::uint32_t destination, std::uint16_t id,
                                    std::uint16_t sequence, std::size_t payload = 56) {
    std::vector<std::uint8_t> packet(20 + 8 + payload);
    auto* ip = packet.data();
    ip[0] = 0x45;
    ip[2] = static_cast<std::uint8_t>(packet.size() >> 8);
    ip[3] = static_cast<std::uint8_t>(packet.size());
    ip[8] = 64;
    ip[9] = 1;  // ICMP
    for (int i = 0; i < 4; ++i) {
        ip[12 + i] = static_cast<std::uint8_t>(source >> (24 - 8 * i));
        ip[16 + i] = static_cast<std::uint8_t>(destination >> (24 - 8 * i));
    }
    const auto ip_sum = checksum(ip, 20);
    ip[10] = static_cast<std::uint8_t>(ip_sum >> 8);
    ip[11] = static_cast<std::uint8_t>(ip_sum);
    auto* icmp = ip + 20;
    icmp[0] = 8;  // echo request
    icmp[4] = static_cast<std::uint8_t>(id >> 8);
    icmp[5] = static_cast<std::uint8_t>(id);
    icmp[6] = static_cast<std::uint8_t>(sequence >> 8);
    icmp[7] = static_cast<std::uint8_t>(sequence);
    for (std::size_t i = 0; i < payload; ++i)
        icmp[8 + i] = static_cast<std::uint8_t>(i);
    const auto icmp_sum = checksum(icmp, 8 + payload);
    icmp[2] = static_cast<std::uint8_t>(icmp_sum >> 8);
    icmp[3] = static_cast<std::uint8_t>(icmp_sum);
    return packet;
}

// A client on its own io_context, run step by step by the test.
struct Harness {
    asio::io_context io;
    std::vector<TunnelState> states;
    std::vector<std::vector<std::uint8_t>> packets;
    std::unique_ptr<vpnse::Client> client;

    explicit Harness(vpnse::Profile profile) {
        vpnse::ClientCallbacks callbacks;
        callbacks.on_state = [this](TunnelState s, const vpnse::Error&) { states.push_back(s); };
        callbacks.on_packet = [this](std::span<const std::uint8_t> p) {
            packets.emplace_back(p.begin(), p.end());
        };
        vpnse::ClientOptions options;
        if (std::getenv("VPNSE_E2E_VERBOSE")) {
            options.log_sink = vpnse::make_stderr_sink();
            options.log_level = vpnse::LogLevel::debug;
        }
        client = std::make_unique<vpnse::Client>(io, std::move(profile), std::move(callbacks), options);
    }
    ~Harness() {
        if (client) {
            client->disconnect();
            client.reset();
            io.run_for(300ms);  // let the close_notify go out
        }
    }

    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (std::chrono::steady_clock::now() >= deadline)
                return false;
            io.restart();
            io.run_for(50ms);
        }
        return true;
    }
    bool wait_state(TunnelState s, std::chrono::milliseconds limit = 40s) {
        return run_until([&] { return client->state() == s; }, limit);
    }
    bool wait_disconnected(std::chrono::milliseconds limit = 30s) {
        return run_until([&] { return client->state() == TunnelState::disconnected; }, limit);
    }

    // Sends echo requests to `target` until one reply arrives (ARP may swallow the first).
    bool ping(const std::string& target, std::uint16_t id, std::size_t payload = 56) {
        const auto network = client->network();
        if (!network)
            return false;
        const auto source = parse_ipv4(network->address.address.to_string());
        const auto destination = parse_ipv4(target);
        for (std::uint16_t sequence = 1; sequence <= 10; ++sequence) {
            packets.clear();
            client->send_packet(icmp_echo(source, destination, id, sequence, payload));
            const bool answered = run_until(
                [&] {
                    for (const auto& p : packets) {
                        if (p.size() >= 28 && p[9] == 1 && p[20] == 0 && ((p[24] << 8) | p[25]) == id)
                            return true;
                    }
                    return false;
                },
                1s);
            if (answered)
                return true;
        }
        return false;
    }
};

bool in_pool(const std::string& address) {
    const auto& env = server()->env();
    const auto value = parse_ipv4(address);
    return value >= parse_ipv4(env.dhcp_pool_start) && value <= parse_ipv4(env.dhcp_pool_end);
}

void expect_login_error(vpnse::Profile profile, ErrorCode expected, const std::string& fragment) {
    Harness h(std::move(profile));
    h.client->connect();
    REQUIRE(h.wait_disconnected());
    CHECK(h.client->last_error().code() == expected);
    CHECK_THAT(h.client->last_error().message(), Catch::Contains(fragment));
}

}  // namespace

TEST_CASE("password login gets a DHCP lease and reaches the gateway and the bridged host") {
    REQUIRE_FIXTURE();
    Harness h(base_profile());
    h.client->connect();
    REQUIRE(h.wait_state(TunnelState::established));
    const auto network = h.client->network();
    REQUIRE(network);
    const auto& env = server()->env();
    CHECK(in_pool(network->address.address.to_string()));
    CHECK(network->gateway.value_or(vpnse::IpAddress()).to_string() == env.vpn_gateway);
    CHECK(network->address.prefix == 24);
    REQUIRE_FALSE(network->dns.empty());
    CHECK(network->dns.front().to_string() == env.dns);
    CHECK(network->domain == env.domain);
    bool pushed = false;
    for (const auto& route : network->routes)
        pushed |= route.destination.to_string() == env.pushed_route;
    CHECK(pushed);
    CHECK(h.ping(env.vpn_gateway, 0x1111));
    CHECK(h.ping(env.bridge_host_ip, 0x2222, 1200));
    const auto stats = h.client->stats();
    CHECK(stats.connections == 1);
    CHECK(stats.packets_in >= 2);
    CHECK(stats.session_name.rfind("SID-", 0) == 0);
}

TEST_CASE("every supported authentication method logs in") {
    REQUIRE_FIXTURE();
    const auto& env = server()->env();
    SECTION("stored SoftEther password hash") {
        auto p = base_profile();
        p.auth_method = vpnse::AuthMethod::password_hash;
        p.password.clear();
        // HashPassword("alice", "secret"), softether-protocol.md 7.4
        p.password_hash =
            std::array<std::uint8_t, 20>{0x0e, 0x78, 0x2d, 0xac, 0xdb, 0x78, 0x91, 0x8d, 0x73, 0x00,
                                         0x79, 0x99, 0xda, 0x81, 0xbc, 0x40, 0x89, 0x06, 0xd4, 0x51};
        Harness h(p);
        h.client->connect();
        CHECK(h.wait_state(TunnelState::established));
    }
    SECTION("plain password (authtype 2)") {
        auto p = base_profile();
        p.auth_method = vpnse::AuthMethod::plain_password;
        Harness h(p);
        h.client->connect();
        CHECK(h.wait_state(TunnelState::established));
    }
    SECTION("anonymous") {
        auto p = base_profile();
        p.auth_method = vpnse::AuthMethod::anonymous;
        p.username = env.anon_user;
        p.password.clear();
        Harness h(p);
        h.client->connect();
        CHECK(h.wait_state(TunnelState::established));
    }
    SECTION("non-ASCII password") {
        auto p = base_profile();
        p.username = env.user2;
        p.password = env.password2;
        Harness h(p);
        h.client->connect();
        CHECK(h.wait_state(TunnelState::established));
    }
}

TEST_CASE("login failures give distinct errors naming user and hub") {
    REQUIRE_FIXTURE();
    auto wrong_password = base_profile();
    wrong_password.password = "not-the-password";
    expect_login_error(wrong_password, ErrorCode::auth_failed, "alice");

    auto unknown_user = base_profile();
    unknown_user.username = "nobody-here";
    expect_login_error(unknown_user, ErrorCode::auth_failed, "nobody-here");

    auto unknown_hub = base_profile();
    unknown_hub.hub = "NOSUCHHUB";
    expect_login_error(unknown_hub, ErrorCode::hub_not_found, "NOSUCHHUB");
}

TEST_CASE("a pinned fingerprint that does not match refuses to connect") {
    REQUIRE_FIXTURE();
    auto p = base_profile();
    p.pinned_sha256[0] ^= 0xff;
    expect_login_error(p, ErrorCode::cert_pin_mismatch, "does not match");
}

TEST_CASE("session variants carry traffic") {
    REQUIRE_FIXTURE();
    const auto& env = server()->env();
    auto p = base_profile();
    std::uint32_t expected_connections = 1;
    // What the session must have negotiated: a client that ignored the profile's flag fails here.
    bool expect_encrypted = true, expect_compressed = false, expect_half = false;
    SECTION("four TCP connections") {
        p.max_connections = 4;
        expected_connections = 4;
    }
    SECTION("half-connection mode") {
        p.max_connections = 4;
        p.half_connection = true;
        expected_connections = 4;
        expect_half = true;
    }
    SECTION("zlib compression") {
        p.compression = true;
        expect_compressed = true;
    }
    SECTION("unencrypted data channel (opt-in)") {
        p.use_encrypt = false;
        p.allow_unencrypted = true;
        expect_encrypted = false;
    }
    Harness h(p);
    h.client->connect();
    REQUIRE(h.wait_state(TunnelState::established));
    REQUIRE(h.run_until([&] { return h.client->stats().connections == expected_connections; }, 10s));
    const auto negotiated = h.client->stats();
    CHECK(negotiated.encrypted == expect_encrypted);
    CHECK(negotiated.compressed == expect_compressed);
    CHECK(negotiated.half_connection == expect_half);
    if (expect_half) {
        // Each connection carries one direction, and both directions are carried.
        CHECK(negotiated.upload_connections + negotiated.download_connections == expected_connections);
        CHECK(negotiated.upload_connections >= 1);
        CHECK(negotiated.download_connections >= 1);
    } else {
        CHECK(negotiated.upload_connections == expected_connections);
        CHECK(negotiated.download_connections == expected_connections);
    }
    // And on the wire, as the server sees the session.
    const auto session = server()->vpncmd({"/CSV", "SessionGet", negotiated.session_name});
    REQUIRE(session.ok());
    INFO(session.output);
    const auto has = [&](const std::string& line) { return session.output.find(line) != std::string::npos; };
    CHECK(has("\nEncryption,Enabled") == expect_encrypted);
    CHECK(has("\nUse of Compression,Yes") == expect_compressed);
    CHECK(has("\nHalf Duplex TCP Connection Mode,Yes") == expect_half);
    CHECK(has("\nNumber of TCP Connections," + std::to_string(expected_connections) + "\n"));
    for (std::uint16_t i = 0; i < 5; ++i)
        CHECK(h.ping(env.bridge_host_ip, static_cast<std::uint16_t>(0x3000 + i), 1400));
    CHECK(h.ping(env.vpn_gateway, 0x3100));
}

TEST_CASE("the client reconnects when the server drops the session") {
    REQUIRE_FIXTURE();
    const auto& env = server()->env();
    Harness h(base_profile());
    h.client->connect();
    REQUIRE(h.wait_state(TunnelState::established));
    server()->kill_connections(env.user);
    REQUIRE(h.run_until([&] { return h.client->state() != TunnelState::established; }, 10s));
    REQUIRE(h.wait_state(TunnelState::established, 60s));
    CHECK(h.client->stats().reconnects >= 1);
    CHECK(h.ping(env.vpn_gateway, 0x4000));
}

TEST_CASE("the client reconnects after the server restarts") {
    REQUIRE_FIXTURE();
    const auto& env = server()->env();
    Harness h(base_profile());
    h.client->connect();
    REQUIRE(h.wait_state(TunnelState::established));
    server()->restart_server();
    // The client notices only once its loop runs again: wait for the reconnect, not the old state.
    REQUIRE(h.run_until([&] { return h.client->stats().reconnects >= 1; }, 30s));
    REQUIRE(h.wait_state(TunnelState::established, 90s));
    CHECK(h.ping(env.vpn_gateway, 0x5000));
}
