#include "connection/toml_exchange.hpp"

#include <catch2/catch.hpp>

using namespace vpnse;
using namespace vpnse::nm;

namespace {

const char* kProfile = R"(autoconnect = true
[server]
host = "vpn.example.com"
port = 992
hub = "ACME"
[auth]
method = "password"
username = "bob"
password = "hunter2"
[tls]
verify = "insecure"
[session]
max_connections = 4
half_connection = true
[network]
routes = "full"
dns = true
)";

}  // namespace

TEST_CASE("nm import: a TOML profile becomes vpn.data and vpn.secrets") {
    auto settings = nm_settings_from_toml(kProfile, "office.toml", "office");
    REQUIRE(settings.ok());
    CHECK(settings->data == std::map<std::string, std::string>{{"host", "vpn.example.com"},
                                                               {"port", "992"},
                                                               {"hub", "ACME"},
                                                               {"auth", "password"},
                                                               {"user", "bob"},
                                                               {"verify", "insecure"},
                                                               {"max-connections", "4"},
                                                               {"half-connection", "yes"},
                                                               {"routes", "full"},
                                                               {"password-flags", "0"}});
    CHECK(settings->secrets == std::map<std::string, std::string>{{"password", "hunter2"}});
    // What was imported is a valid NM connection that gives the same profile back.
    settings->uuid = "12345678-0000-0000-0000-000000000000";
    auto profile = profile_from_nm(*settings);
    REQUIRE(profile.ok());
    CHECK(profile->host == "vpn.example.com");
    CHECK(profile->max_connections == 4);
    CHECK(profile->route_mode == RouteMode::full);
}

TEST_CASE("nm import: an invalid profile or a key NM cannot hold is refused by name") {
    CHECK_THAT(nm_settings_from_toml("[server]\n", "x.toml", "x").error().message(),
               Catch::Contains("server.host: is required"));
    auto with_include = std::string(kProfile) + "include = [\"10.0.0.0/8\"]\n";
    auto refused = nm_settings_from_toml(with_include, "x.toml", "x");
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message(), Catch::Contains("no NetworkManager setting for network.include"));
}

TEST_CASE("nm export: vpn.data as TOML, without secrets") {
    NmVpnSettings settings;
    settings.id = "Office";
    settings.data = {{"host", "vpn.example.com"}, {"hub", "ACME"},        {"user", "bob"},
                     {"max-connections", "2"},    {"compression", "yes"}, {"password-flags", "1"}};
    settings.secrets = {{"password", "hunter2"}};
    auto text = toml_from_nm(settings);
    REQUIRE(text.ok());
    CHECK_THAT(*text,
               Catch::Contains("host = 'vpn.example.com'") || Catch::Contains("host = \"vpn.example.com\""));
    CHECK_THAT(*text, Catch::Contains("max_connections = 2"));
    CHECK_THAT(*text, Catch::Contains("compression = true"));
    CHECK(text->find("hunter2") == std::string::npos);
    CHECK(text->find("flags") == std::string::npos);
    settings.data["max-connections"] = "two";
    CHECK_FALSE(toml_from_nm(settings).ok());
}
