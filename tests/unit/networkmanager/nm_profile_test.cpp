#include "connection/nm_profile.hpp"

#include <catch2/catch.hpp>

using namespace vpnse;
using namespace vpnse::nm;

namespace {

NmVpnSettings office() {
    NmVpnSettings s;
    s.id = "Office";
    s.uuid = "8c105fe1-f2d3-4e5f-a6b7-c8d9e0f1a2b3";
    s.data = {{"host", "vpn.example.com"},
              {"hub", "ACME"},
              {"user", "bob"},
              {"verify", "fingerprint"},
              {"fingerprint", std::string(64, 'a')},
              {"password-flags", "1"}};
    s.secrets = {{"password", "hunter2"}};
    return s;
}

std::string error_of(const NmVpnSettings& s) {
    auto profile = profile_from_nm(s);
    REQUIRE_FALSE(profile.ok());
    CHECK(profile.error().code() == ErrorCode::config_invalid);
    return profile.error().message();
}

}  // namespace

TEST_CASE("nm: vpn.data and vpn.secrets become a profile") {
    auto s = office();
    s.data["port"] = "5555";
    s.data["max-connections"] = "4";
    s.data["half-connection"] = "yes";
    s.data["compression"] = "true";
    s.data["udp-acceleration"] = "yes";
    s.data["routes"] = "full";
    s.data["mtu"] = "1300";
    auto profile = profile_from_nm(s);
    REQUIRE(profile.ok());
    CHECK(profile->name == "nm8c105fe1f");
    CHECK(profile->host == "vpn.example.com");
    CHECK(profile->port == 5555);
    CHECK(profile->hub == "ACME");
    CHECK(profile->username == "bob");
    CHECK(profile->password == "hunter2");
    CHECK(profile->auth_method == AuthMethod::password);
    CHECK(profile->tls_verify == TlsVerify::fingerprint);
    CHECK(profile->max_connections == 4);
    CHECK(profile->half_connection);
    CHECK(profile->compression);
    CHECK(profile->udp_acceleration);
    CHECK(profile->route_mode == RouteMode::full);
    CHECK(profile->mtu == 1300);
}

TEST_CASE("nm: errors name the NM key, not the TOML one") {
    auto s = office();
    s.data["max-connections"] = "40";
    CHECK(error_of(s) == "vpn.data: max-connections: must be between 1 and 32 (got 40)");
    s = office();
    s.data["max-connections"] = "four";
    CHECK(error_of(s) == "vpn.data: max-connections: must be a whole number (got \"four\")");
    s = office();
    s.data["half-connection"] = "maybe";
    CHECK(error_of(s) == "vpn.data: half-connection: must be yes or no (got \"maybe\")");
    s = office();
    s.data.erase("host");
    CHECK(error_of(s) == "vpn.data: host: is required");
    s = office();
    s.data["gateway"] = "x";
    CHECK_THAT(error_of(s), Catch::StartsWith("vpn.data: gateway: unknown key"));
    s = office();
    s.data["password"] = "in the wrong place";
    CHECK_THAT(error_of(s), Catch::StartsWith("vpn.data: password: unknown key"));
    s = office();
    s.secrets["token"] = "x";
    CHECK_THAT(error_of(s), Catch::StartsWith("vpn.secrets: token: unknown secret"));
    s = office();
    s.data["verify"] = "fingerprint";
    s.data.erase("fingerprint");
    CHECK(error_of(s) == "vpn.data: fingerprint: is required with verify = \"fingerprint\"");
}

TEST_CASE("nm: values reach TOML as data, never as syntax") {
    auto s = office();
    s.data["hub"] = "A\"\n[auth]\nmethod = \"anonymous";
    auto profile = profile_from_nm(s);
    REQUIRE(profile.ok());
    CHECK(profile->hub == "A\"\n[auth]\nmethod = \"anonymous");
    CHECK(profile->auth_method == AuthMethod::password);
}

TEST_CASE("nm: the secret NM must ask for") {
    auto s = office();
    CHECK(missing_secret(s).empty());
    s.secrets.clear();
    CHECK(missing_secret(s) == "password");
    s.data["auth"] = "anonymous";
    CHECK(missing_secret(s).empty());
    s.data["auth"] = "password_hash";
    CHECK(missing_secret(s) == "password-hash");
    s.data["auth"] = "certificate";
    CHECK(secrets_used(s).empty());
    s.data["proxy-user"] = "puser";
    CHECK(secrets_used(s) == std::vector<std::string>{"proxy-password"});
    CHECK(missing_secret(s) == "proxy-password");
    s.data["auth"] = "password";
    s.secrets = {{"password", "x"}};
    CHECK(missing_secret(s) == "proxy-password");
}

TEST_CASE("nm: certificate login and a proxy from vpn.data and vpn.secrets") {
    auto s = office();
    s.data["auth"] = "certificate";
    s.data["cert-file"] = "/etc/vpnse/bob.crt";
    s.data["key-file"] = "/etc/vpnse/bob.key";
    s.secrets.clear();
    s.data["proxy-type"] = "socks5";
    s.data["proxy-host"] = "10.0.0.1";
    s.data["proxy-port"] = "1080";
    s.data["proxy-user"] = "puser";
    s.secrets["proxy-password"] = "ppass";
    auto profile = profile_from_nm(s);
    REQUIRE(profile.ok());
    CHECK(profile->auth_method == AuthMethod::certificate);
    CHECK(profile->cert_file == "/etc/vpnse/bob.crt");
    CHECK(profile->key_file == "/etc/vpnse/bob.key");
    CHECK(profile->proxy_type == ProxyType::socks5);
    CHECK(profile->proxy_port == 1080);
    CHECK(profile->proxy_password == "ppass");
    s.data.erase("key-file");
    CHECK(error_of(s) == "vpn.data: key-file: is required with method = \"certificate\"");
    s.data["key-file"] = "/k";
    s.data["proxy-port"] = "0";
    CHECK_THAT(error_of(s), Catch::Contains("vpn.data: proxy-port: "));
}

TEST_CASE("nm: one profile name per connection, a valid interface name") {
    CHECK(profile_name_for("8c105fe1-f2d3-4e5f-a6b7-c8d9e0f1a2b3") == "nm8c105fe1f");
    CHECK(profile_name_for("").size() == 2);
    CHECK(("vse-" + profile_name_for("ffffffff-ffff-ffff-ffff-ffffffffffff")).size() == 15);
}
