#include "profile/profile_parser.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

using vpnse::AuthMethod;
using vpnse::ErrorCode;
using vpnse::parse_profile;

namespace {

const std::string kFingerprint =
    "AB:CD:EF:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89";

const std::string kMinimal = R"(
[server]
host = "vpn.example.com"
hub = "ACME"
[auth]
username = "bob"
password = "secret"
[tls]
fingerprint = ")" + kFingerprint +
                             "\"\n";

// Parses `text` expecting failure and returns the message.
std::string error_of(const std::string& text) {
    auto result = parse_profile(text, "/etc/vpnse/profiles/office.toml", "office");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code() == ErrorCode::config_invalid);
    return result.error().message();
}

// Replaces the first line starting with `key =` in kMinimal-style text, or appends to `section`.
std::string with(const std::string& section_and_lines) {
    return kMinimal + section_and_lines;
}

}  // namespace

TEST_CASE("a minimal profile gets the documented defaults") {
    auto result = parse_profile(kMinimal, "office.toml", "office");
    REQUIRE(result.ok());
    const auto& p = *result;
    CHECK(p.name == "office");
    CHECK(p.host == "vpn.example.com");
    CHECK(p.port == 443);
    CHECK(p.hub == "ACME");
    CHECK(p.udp_acceleration);  // on by default, like the official client
    CHECK(p.auth_method == AuthMethod::password);
    CHECK(p.username == "bob");
    CHECK(p.password == "secret");
    CHECK(p.tls_verify == vpnse::TlsVerify::fingerprint);
    CHECK(p.pinned_sha256[0] == 0xab);
    CHECK(p.pinned_sha256[31] == 0x89);
    CHECK(p.max_connections == 1);
    CHECK(p.use_encrypt);
    CHECK(p.route_mode == vpnse::RouteMode::split);
    CHECK(p.mtu == 1400);
    CHECK(p.reconnect);
    CHECK_FALSE(p.autoconnect);
}

TEST_CASE("a full profile reads every key") {
    const std::string text = R"(
autoconnect = true
[server]
host = "10.0.0.1"
port = 5555
hub = "HUB"
[auth]
method = "password_hash"
username = "alice"
password_hash = "AAECAwQFBgcICQoLDA0ODxAREhM="
[tls]
verify = "ca"
ca_file = "/etc/ssl/ca.pem"
sni = "vpn.example.com"
check_hostname = false
[session]
max_connections = 8
half_connection = true
encrypt = false
allow_unencrypted = true
compression = true
udp_acceleration = false
[network]
routes = "full"
include = ["10.0.0.0/8", "2001:db8::/32"]
exclude = ["10.9.0.0/16"]
dns = false
kill_switch = true
mtu = 1300
ipv6 = false
mac = "5e:00:12:34:56:78"
[reconnect]
enabled = false
initial_delay_ms = 500
max_delay_ms = 30000
)";
    auto result = parse_profile(text, "full.toml", "full");
    REQUIRE(result.ok());
    const auto& p = *result;
    CHECK(p.autoconnect);
    CHECK(p.port == 5555);
    CHECK(p.auth_method == AuthMethod::password_hash);
    REQUIRE(p.password_hash);
    CHECK((*p.password_hash)[19] == 19);
    CHECK(p.tls_verify == vpnse::TlsVerify::ca_file);
    CHECK(p.ca_file == "/etc/ssl/ca.pem");
    CHECK(p.sni == "vpn.example.com");
    CHECK_FALSE(p.check_hostname);
    CHECK(p.max_connections == 8);
    CHECK(p.half_connection);
    CHECK_FALSE(p.use_encrypt);
    CHECK(p.compression);
    CHECK_FALSE(p.udp_acceleration);
    CHECK(p.route_mode == vpnse::RouteMode::full);
    CHECK(p.include_routes.size() == 2);
    CHECK(p.exclude_routes == std::vector<std::string>{"10.9.0.0/16"});
    CHECK_FALSE(p.dns);
    CHECK(p.kill_switch);
    CHECK(p.mtu == 1300);
    CHECK_FALSE(p.ipv6);
    CHECK(p.mac == "5e:00:12:34:56:78");
    CHECK_FALSE(p.reconnect);
    CHECK(p.reconnect_initial_ms == 500);
    CHECK(p.reconnect_max_ms == 30000);
}

TEST_CASE("range errors name the file, the key and the value") {
    CHECK(error_of(with("[session]\nmax_connections = 40\n")) ==
          "/etc/vpnse/profiles/office.toml: session.max_connections: must be between 1 and 32 (got 40)");
    CHECK(error_of(with("[network]\nmtu = 9000\n")) ==
          "/etc/vpnse/profiles/office.toml: network.mtu: must be between 576 and 1500 (got 9000)");
}

TEST_CASE("profile error vectors") {
    struct Case {
        std::string text;
        std::string expected;  // substring of the message
    };
    const Case cases[] = {
        {with("[session]\nmax_connections = 0\n"),
         "session.max_connections: must be between 1 and 32 (got 0)"},
        {with("[session]\nmax_connections = \"4\"\n"),
         "session.max_connections: expected an integer, got a string"},
        {with("[session]\nhalf_connection = true\n"),
         "session.half_connection: needs session.max_connections"},
        {with("[session]\nencrypt = false\n"), "session.encrypt: false also needs session.allow_unencrypted"},
        {with("[session]\nmax_conections = 2\n"), "session.max_conections: unknown key (line 11)"},
        {with("[sesion]\nmax_connections = 2\n"), "sesion: unknown section"},
        {"autoconect = true\n" + kMinimal, "autoconect: unknown key"},
        {"autoconnect = \"yes\"\n" + kMinimal, "autoconnect: expected a boolean, got a string"},
        {with("[network]\nroutes = \"all\"\n"),
         "network.routes: must be \"split\" or \"full\" (got \"all\")"},
        {with("[network]\ninclude = [\"10.0.0/8\"]\n"),
         "network.include: element 0: \"10.0.0/8\" is not a CIDR"},
        {with("[network]\nexclude = [\"10.0.0.0/8\", 5]\n"),
         "network.exclude: element 1: expected a string, got an integer"},
        {with("[network]\ninclude = \"10.0.0.0/8\"\n"), "network.include: expected an array, got a string"},
        {with("[network]\nmac = \"5f:00:12:34:56:78\"\n"), "network.mac: must be a unicast address"},
        {with("[network]\nmac = \"5e00.1234.5678\"\n"), "network.mac: must be six hex octets"},
        {with("[reconnect]\ninitial_delay_ms = 5000\nmax_delay_ms = 1000\n"),
         "reconnect.max_delay_ms: must not be less than reconnect.initial_delay_ms (5000)"},
        {with("[reconnect]\ninitial_delay_ms = 1.5\n"),
         "reconnect.initial_delay_ms: expected an integer, got a float"},
        {"[server]\nhub = \"A\"\n", "server.host: is required"},
        {"[server]\nhost = \"h\"\n", "server.hub: is required"},
        {"[auth]\nusername = \"u\"\n", "server.host: is required"},
        {"server = 5\n", "server: expected a table, got an integer"},
        {"[server]\nhost = \"h\"\nhub = \"A\"\nport = 70000\n",
         "server.port: must be between 1 and 65535 (got 70000)"},
        {"[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\nmethod = \"cert\"\n",
         "auth.method: must be \"password\""},
        {"[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\npassword = \"x\"\n", "auth.username: is required"},
        {"[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\nusername = \"u\"\n", "auth.password: is required"},
        {"[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\nmethod = \"anonymous\"\npassword = \"x\"\n",
         "auth.password: is only used with method"},
        {"[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\nmethod = \"password_hash\"\nusername = \"u\"\n",
         "auth.password_hash: is required"},
        {"[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\nmethod = \"password_hash\"\nusername = "
         "\"u\"\npassword_hash = \"!!\"\n",
         "auth.password_hash: is not valid base64"},
        {"[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\nmethod = \"password_hash\"\nusername = "
         "\"u\"\npassword_hash = \"AAAA\"\n",
         "auth.password_hash: must be the base64 of a 20-byte SHA-0 hash (got 3 bytes)"},
        {"[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\nmethod = \"anonymous\"\n",
         "tls.fingerprint: is required"},
        {"[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\nmethod = \"anonymous\"\n[tls]\nfingerprint = "
         "\"abcd\"\n",
         "tls.fingerprint: must be a SHA-256 digest"},
        {"[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\nmethod = \"anonymous\"\n[tls]\nverify = \"ca\"\n",
         "tls.ca_file: is required with verify = \"ca\""},
        {"[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\nmethod = \"anonymous\"\n[tls]\nverify = \"none\"\n",
         "tls.verify: must be \"fingerprint\", \"ca\", \"tofu\" or \"insecure\" (got \"none\")"},
        {"[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\nmethod = \"anonymous\"\n[tls]\nverify = "
         "\"insecure\"\nca_file = \"/x\"\n",
         "tls.ca_file: is only used with verify = \"ca\""},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        CHECK_THAT(error_of(c.text), Catch::Matchers::Contains(c.expected));
    }
}

TEST_CASE("the proxy section") {
    auto http = parse_profile(with("[proxy]\ntype = \"http\"\nhost = \"proxy.lan\"\nport = 3128\nusername = "
                                   "\"pu\"\npassword = \"pp\"\n"),
                              "x.toml", "x");
    REQUIRE(http.ok());
    CHECK(http->proxy_type == vpnse::ProxyType::http);
    CHECK(http->proxy_host == "proxy.lan");
    CHECK(http->proxy_port == 3128);
    CHECK(http->proxy_username == "pu");
    CHECK(http->proxy_password == "pp");
    auto socks =
        parse_profile(with("[proxy]\ntype = \"socks5\"\nhost = \"10.0.0.1\"\nport = 1080\n"), "x.toml", "x");
    REQUIRE(socks.ok());
    CHECK(socks->proxy_type == vpnse::ProxyType::socks5);
    CHECK(socks->proxy_username.empty());
    CHECK(parse_profile(kMinimal, "x.toml", "x")->proxy_type == vpnse::ProxyType::none);

    const std::vector<std::pair<std::string, std::string>> cases{
        {"type = \"ftp\"\n", "proxy.type: must be \"http\", \"socks5\" or \"none\" (got \"ftp\")"},
        {"type = \"http\"\nport = 3128\n", "proxy.host: is required"},
        {"type = \"http\"\nhost = \"p\"\n", "proxy.port: is required"},
        {"type = \"http\"\nhost = \"p q\"\nport = 1\n", "proxy.host: must be a host name or an IP address"},
        {"type = \"http\"\nhost = \"p\"\nport = 0\n", "proxy.port: must be between 1 and 65535 (got 0)"},
        {"type = \"http\"\nhost = \"p\"\nport = 1\npassword = \"x\"\n",
         "proxy.password: needs proxy.username"},
        {"type = \"http\"\nhost = \"p\"\nport = 1\nusername = \"a:b\"\n",
         "proxy.username: must not contain ':' for an HTTP proxy"},
        {"type = \"socks5\"\nhost = \"p\"\nport = 1\nusername = \"" + std::string(256, 'u') + "\"\n",
         "proxy.username: must be at most 255 bytes for SOCKS5"},
        {"host = \"p\"\n", "proxy.host: is only used with proxy.type"},
        {"type = \"http\"\nhost = \"p\"\nport = 1\nuser = \"x\"\n", "proxy.user"},
    };
    for (const auto& [lines, expected] : cases) {
        INFO(lines);
        CHECK_THAT(error_of(with("[proxy]\n" + lines)), Catch::Matchers::Contains(expected));
    }
}

TEST_CASE("certificate login needs both files, and the key file must be root's alone") {
    const std::string base =
        "[server]\nhost = \"h\"\nhub = \"A\"\n[tls]\nverify = \"insecure\"\n[auth]\nusername = \"u\"\n";
    auto ok = parse_profile(
        base + "method = \"certificate\"\ncert_file = \"/c.pem\"\nkey_file = \"/k.pem\"\n", "x.toml", "x");
    REQUIRE(ok.ok());
    CHECK(ok->auth_method == AuthMethod::certificate);
    CHECK(ok->cert_file == "/c.pem");
    CHECK(ok->key_file == "/k.pem");
    CHECK_THAT(error_of(base + "method = \"certificate\"\ncert_file = \"/c.pem\"\n"),
               Catch::Matchers::Contains("auth.key_file: is required with method = \"certificate\""));
    CHECK_THAT(error_of(base + "method = \"certificate\"\nkey_file = \"/k.pem\"\n"),
               Catch::Matchers::Contains("auth.cert_file: is required with method = \"certificate\""));
    CHECK_THAT(error_of(base + "password = \"p\"\ncert_file = \"/c.pem\"\n"),
               Catch::Matchers::Contains("auth.cert_file: is only used with method = \"certificate\""));

    CHECK(vpnse::check_key_file_access("/k.pem", S_IFREG | 0600, 0).ok());
    CHECK(vpnse::check_key_file_access("/k.pem", S_IFREG | 0400, 0).ok());
    CHECK_FALSE(vpnse::check_key_file_access("/k.pem", S_IFREG | 0640, 0).ok());
    auto foreign = vpnse::check_key_file_access("/k.pem", S_IFREG | 0600, 1000);
    REQUIRE_FALSE(foreign.ok());
    CHECK_THAT(foreign.error().message(),
               Catch::Matchers::Contains(
                   "auth.key_file /k.pem: a private key must be owned by root and readable by no "
                   "one else (it is mode 0600, owner uid 1000)"));
}

TEST_CASE("trust on first use takes no fingerprint") {
    const std::string base =
        "[server]\nhost = \"h\"\nhub = \"A\"\n[auth]\nmethod = \"anonymous\"\n[tls]\nverify = \"tofu\"\n";
    auto tofu = parse_profile(base, "x.toml", "x");
    REQUIRE(tofu.ok());
    CHECK(tofu->tls_verify == vpnse::TlsVerify::tofu);
    CHECK_THAT(error_of(base + "fingerprint = \"" + kFingerprint + "\"\n"),
               Catch::Matchers::Contains("tls.fingerprint: is only used with verify = \"fingerprint\""));
}

TEST_CASE("TOML syntax errors carry line and column") {
    const auto message = error_of("[server]\nhost = \"h\nhub = 1\n");
    CHECK_THAT(message, Catch::Matchers::StartsWith("/etc/vpnse/profiles/office.toml:2:"));
    CHECK_THAT(error_of("[server]\n[server]\n"),
               Catch::Matchers::StartsWith("/etc/vpnse/profiles/office.toml:2:"));
}

TEST_CASE("profile names are checked") {
    for (const char* bad : {"", "has space", "a/b", "..", "123456789012345678901234567890123"}) {
        auto result = parse_profile(kMinimal, "x.toml", bad);
        INFO(bad);
        REQUIRE_FALSE(result.ok());
        CHECK_THAT(result.error().message(), Catch::Matchers::Contains("must be 1 to 32 characters"));
    }
    CHECK(parse_profile(kMinimal, "x.toml", "Office_2-b").ok());
}

TEST_CASE("clear passwords need a root-owned 0600 file") {
    auto profile = parse_profile(kMinimal, "office.toml", "office");
    REQUIRE(profile.ok());
    CHECK(vpnse::check_profile_file_access(*profile, "office.toml", S_IFREG | 0600, 0).ok());
    auto wide = vpnse::check_profile_file_access(*profile, "office.toml", S_IFREG | 0644, 0);
    REQUIRE_FALSE(wide.ok());
    CHECK_THAT(
        wide.error().message(),
        Catch::Matchers::Contains("must be mode 0600 and owned by root (it is mode 0644, owner uid 0)"));
    CHECK_FALSE(vpnse::check_profile_file_access(*profile, "office.toml", S_IFREG | 0600, 1000).ok());

    profile->password.clear();  // e.g. password_hash: allowed from any file
    CHECK(vpnse::check_profile_file_access(*profile, "office.toml", S_IFREG | 0644, 1000).ok());

    // A proxy password has no hashed form: the same rule.
    profile->proxy_password = "proxy-secret";
    auto proxy = vpnse::check_profile_file_access(*profile, "office.toml", S_IFREG | 0644, 0);
    REQUIRE_FALSE(proxy.ok());
    CHECK_THAT(proxy.error().message(), Catch::Matchers::Contains("holds a clear password (proxy.password)"));
    CHECK(vpnse::check_profile_file_access(*profile, "office.toml", S_IFREG | 0600, 0).ok());
}
