#include "profile/profile_writer.hpp"

#include <catch2/catch.hpp>

#include "profile/profile_parser.hpp"

using namespace vpnse;

namespace {

Profile read_back(const Profile& p) {
    auto text = profile_to_toml(p);
    auto back = parse_profile(text, "written.toml", p.name);
    INFO(text);
    REQUIRE(back.ok());
    return *back;
}

Profile base() {
    Profile p;
    p.name = "office";
    p.host = "vpn.example.com";
    p.hub = "ACME";
    p.username = "bob";
    p.password = "hunter2";
    p.tls_verify = TlsVerify::insecure;
    return p;
}

}  // namespace

TEST_CASE("profile writer: what it writes reads back as the same profile") {
    auto p = base();
    CHECK(read_back(p) == p);

    p.autoconnect = true;
    p.port = 992;
    p.tls_verify = TlsVerify::fingerprint;
    p.pinned_sha256.fill(0xab);
    p.sni = "front.example.com";
    p.max_connections = 8;
    p.half_connection = true;
    p.compression = true;
    p.udp_acceleration = false;
    p.route_mode = RouteMode::full;
    p.include_routes = {"10.0.0.0/8"};
    p.exclude_routes = {"10.9.0.0/16"};
    p.dns = false;
    p.kill_switch = true;
    p.mtu = 1300;
    p.ipv6 = false;
    p.mac = "5e:00:12:34:56:78";
    p.reconnect = false;
    p.reconnect_initial_ms = 5000;
    p.reconnect_max_ms = 90000;
    CHECK(read_back(p) == p);

    auto hashed = base();
    hashed.password.clear();
    hashed.auth_method = AuthMethod::password_hash;
    hashed.password_hash =
        std::array<std::uint8_t, 20>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
    CHECK(read_back(hashed) == hashed);

    auto anonymous = base();
    anonymous.password.clear();
    anonymous.auth_method = AuthMethod::anonymous;
    CHECK(read_back(anonymous) == anonymous);

    auto ca = base();
    ca.tls_verify = TlsVerify::ca_file;
    ca.ca_file = "/etc/ssl/office.pem";
    ca.check_hostname = false;
    ca.use_encrypt = false;
    ca.allow_unencrypted = true;
    CHECK(read_back(ca) == ca);
}

TEST_CASE("profile writer: values with quotes and newlines stay values") {
    auto p = base();
    p.hub = "A\"B\n[auth]";
    p.password = "p'a\"s\\s";
    CHECK(read_back(p) == p);
}

TEST_CASE("profile writer: defaults are left out") {
    auto text = profile_to_toml(base());
    CHECK(text.find("port") == std::string::npos);
    CHECK(text.find("[session]") == std::string::npos);
    CHECK(text.find("[reconnect]") == std::string::npos);
    CHECK(fingerprint_text(std::array<std::uint8_t, 32>{0xab, 0x01}).substr(0, 8) == "AB:01:00");
}
