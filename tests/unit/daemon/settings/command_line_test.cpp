#include "settings/command_line.hpp"

#include <catch2/catch.hpp>

using namespace vpnsed::settings;

TEST_CASE("command line options override settings") {
    auto parsed = parse_command_line({"--config", "/tmp/v.toml", "--socket=/tmp/s.sock", "--state-dir",
                                      "/tmp/st", "--profile-dir", "/tmp/p", "--log-level", "debug", "-f"});
    REQUIRE(parsed.ok());
    CHECK(parsed->config_path == "/tmp/v.toml");
    CHECK(parsed->config_path_given);
    CHECK(parsed->foreground);
    DaemonSettings settings;
    apply_overrides(*parsed, settings);
    CHECK(settings.socket_path == "/tmp/s.sock");
    CHECK(settings.state_dir == "/tmp/st");
    CHECK(settings.profile_dir == "/tmp/p");
    CHECK(settings.log_level == vpnse::LogLevel::debug);
}

TEST_CASE("command line errors") {
    CHECK(parse_command_line({"--bogus"}).error().message() == "unknown option \"--bogus\"");
    CHECK(parse_command_line({"--socket"}).error().message() == "--socket needs a value");
    CHECK(parse_command_line({"--log-level", "x"}).error().message() == "--log-level: unknown level \"x\"");
    auto defaults = parse_command_line({});
    REQUIRE(defaults.ok());
    CHECK_FALSE(defaults->config_path_given);
    CHECK(defaults->config_path == "/etc/vpnse/vpnsed.toml");
}
