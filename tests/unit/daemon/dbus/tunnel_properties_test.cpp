#include "dbus/tunnel_properties.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace vpnsed;
using namespace vpnsed::dbus;

namespace {

protocol::TunnelStatus established() {
    protocol::TunnelStatus status;
    status.name = "office";
    status.state = vpnse::TunnelState::established;
    status.server = "vpn.example.com:443";
    status.hub = "ACME";
    status.user = "bob";
    status.address = "192.168.30.10";
    status.prefix_length = 24;
    status.gateway = "192.168.30.1";
    status.routes = {"10.1.0.0/16 via 192.168.30.1"};
    status.dns = {"192.168.30.1"};
    status.tls = "TLSv1.3 TLS1-3-AES-256-GCM-SHA384";
    status.server_version = "SoftEther VPN Server (64 bit) 5.1";
    status.connections = 2;
    status.encrypted = true;
    status.data_path = "udp";
    status.udp_fallbacks = 1;
    status.bytes_in = 1000;
    status.bytes_out = 2000;
    status.packets_in = 10;
    status.packets_out = 20;
    status.since = 1'800'000'000;
    status.uptime_s = 42;
    return status;
}

}  // namespace

TEST_CASE("dbus properties mirror TunnelStatus") {
    auto p = to_properties(established());
    CHECK(p.name == "office");
    CHECK(p.state == "established");
    CHECK(p.last_error == std::tuple<std::uint32_t, std::string, std::string>{0, "ok", ""});
    CHECK(p.address == "192.168.30.10");
    CHECK(p.prefix_length == 24);
    CHECK(p.routes == std::vector<std::string>{"10.1.0.0/16 via 192.168.30.1"});
    CHECK(p.connections == 2);
    CHECK(p.encrypted);
    CHECK(p.data_path == "udp");
    CHECK(p.udp_fallbacks == 1);
    CHECK(p.bytes_out == 2000);
    CHECK(p.uptime == 42);
    CHECK(p.since == 1'800'000'000);
}

TEST_CASE("dbus properties: LastError is (code, name, message) as JSON-RPC reports it") {
    auto status = established();
    status.state = vpnse::TunnelState::disconnected;
    status.last_error = vpnse::Error(vpnse::ErrorCode::auth_failed, "wrong password for bob");
    auto p = to_properties(status);
    CHECK(std::get<0>(p.last_error) == 9);
    CHECK(std::get<1>(p.last_error) == "auth_failed");
    CHECK(std::get<2>(p.last_error) == "wrong password for bob");
}

TEST_CASE("dbus properties: PropertiesChanged names exactly what differs") {
    auto before = to_properties(established());
    CHECK(changed_properties(before, before).empty());

    auto tick = established();
    tick.bytes_in += 1;
    tick.uptime_s += 2;
    CHECK(changed_properties(before, to_properties(tick)) == std::vector<std::string>{"BytesIn", "Uptime"});

    auto dropped = established();
    dropped.state = vpnse::TunnelState::reconnecting;
    dropped.address.clear();
    dropped.last_error = vpnse::Error(vpnse::ErrorCode::disconnected, "");
    CHECK(changed_properties(before, to_properties(dropped)) ==
          std::vector<std::string>{"State", "LastError", "Address"});
}

TEST_CASE("dbus properties: the list has every member once") {
    std::set<std::string> names;
    int count = 0;
    for_each_property([&](const char* name, auto) {
        names.insert(name);
        ++count;
    });
    CHECK(count == 24);
    CHECK(names.size() == 24);
}
