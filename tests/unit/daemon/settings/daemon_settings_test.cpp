#include "settings/daemon_settings.hpp"

#include <catch2/catch.hpp>

using namespace vpnsed::settings;

namespace {
std::string error_of(std::string_view text) {
    auto result = parse_settings(text, "/etc/vpnse/vpnsed.toml");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code() == vpnse::ErrorCode::config_invalid);
    return result.error().message();
}
}  // namespace

TEST_CASE("an empty vpnsed.toml gives the defaults") {
    auto result = parse_settings("", "vpnsed.toml");
    REQUIRE(result.ok());
    CHECK(result->socket_path == "/run/vpnse/vpnsed.sock");
    CHECK(result->group == "vpnse");
    CHECK(result->log_level == vpnse::LogLevel::info);
    CHECK(result->state_dir == "/run/vpnse/state");
    CHECK(result->profile_dir == "/etc/vpnse/profiles");
    CHECK(result->dns_backend == DnsBackend::automatic);
    CHECK(result->max_clients == 64);
    CHECK(result->client_idle_timeout_s == 60);
    CHECK(result->dbus_enabled);
}

TEST_CASE("vpnsed.toml keys are read") {
    auto result = parse_settings(R"(
socket_path = "/tmp/x.sock"
group = "netdev"
log_level = "debug"
state_dir = "/var/lib/vpnse"
profile_dir = "/srv/profiles"
dns_backend = "resolvconf"
max_clients = 8
client_idle_timeout_s = 5
stats_interval_ms = 500
log_buffer_lines = 10
tun_offload = false
dbus_enabled = false
)",
                                 "vpnsed.toml");
    REQUIRE(result.ok());
    CHECK(result->socket_path == "/tmp/x.sock");
    CHECK(result->group == "netdev");
    CHECK(result->log_level == vpnse::LogLevel::debug);
    CHECK(result->dns_backend == DnsBackend::resolvconf);
    CHECK(result->max_clients == 8);
    CHECK(result->client_idle_timeout_s == 5);
    CHECK(result->stats_interval_ms == 500);
    CHECK(result->log_buffer_lines == 10);
    CHECK_FALSE(result->tun_offload);
    CHECK_FALSE(result->dbus_enabled);
}

TEST_CASE("vpnsed.toml error vectors") {
    CHECK(error_of("max_clients = 0") ==
          "/etc/vpnse/vpnsed.toml: max_clients: must be between 1 and 1024 (got 0)");
    CHECK(error_of("sockett_path = \"/x\"") == "/etc/vpnse/vpnsed.toml: sockett_path: unknown key (line 1)");
    CHECK(error_of("group = 5") == "/etc/vpnse/vpnsed.toml: group: expected a string, got an integer");
    CHECK(error_of("group = \"\"") == "/etc/vpnse/vpnsed.toml: group: must not be empty");
    CHECK(error_of("socket_path = \"run/x.sock\"") ==
          "/etc/vpnse/vpnsed.toml: socket_path: must be an absolute path (got \"run/x.sock\")");
    CHECK_THAT(error_of("socket_path = \"/" + std::string(120, 'a') + "\""),
               Catch::Matchers::Contains("longer than 107 bytes"));
    CHECK_THAT(error_of("log_level = \"loud\""), Catch::Matchers::Contains("log_level: must be \"trace\""));
    CHECK_THAT(error_of("dns_backend = \"nm\""), Catch::Matchers::Contains("(got \"nm\")"));
    CHECK_THAT(error_of("group = \"a\nb\""), Catch::Matchers::StartsWith("/etc/vpnse/vpnsed.toml:1:"));
}

TEST_CASE("paths: the private state directory must not contain the control socket") {
    DaemonSettings settings;
    CHECK(check_paths(settings).ok());  // the defaults: /run/vpnse/vpnsed.sock, /run/vpnse/state
    settings.state_dir = "/run/vpnse";
    auto same = check_paths(settings);
    REQUIRE_FALSE(same.ok());
    CHECK(same.error().code() == vpnse::ErrorCode::config_invalid);
    CHECK(same.error().message().find("state_dir /run/vpnse contains the control socket") !=
          std::string::npos);
    settings.state_dir = "/run/";
    CHECK_FALSE(check_paths(settings).ok());
    settings.state_dir = "/run/vpnse/state";
    settings.socket_path = "/run/vpnse/state/sub/vpnsed.sock";
    CHECK_FALSE(check_paths(settings).ok());
    settings.socket_path = "/run/vpnse-other/vpnsed.sock";
    settings.state_dir = "/run/vpnse";
    CHECK(check_paths(settings).ok());
}
