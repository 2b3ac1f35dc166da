#include "import/vpn_account.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include <filesystem>
#include <map>

#include "core/base64.hpp"
#include "import/certificate_files.hpp"
#include "import/cfg_text.hpp"
#include "profile/profile_parser.hpp"
#include "profile/profile_writer.hpp"

using namespace vpnse;
using namespace vpnse::import;

namespace {

std::string vector_file(const std::string& name) {
    std::ifstream in(std::string(VPNSE_TEST_VECTORS) + "/vpn/" + name, std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

VpnAccount imported(const std::string& name) {
    auto account = import_vpn_account(vector_file(name), name, "");
    INFO(name);
    if (!account)
        FAIL(account.error().message());
    return *account;
}

bool noted(const VpnAccount& account, std::string_view words) {
    for (const auto& note : account.notes)
        if (note.find(words) != std::string::npos)
            return true;
    return false;
}

}  // namespace

TEST_CASE("vpn import: a hashed password, 4 half-duplex connections, compression, a pinned server cert") {
    auto a = imported("password.vpn");
    CHECK(a.account_name == "password");
    CHECK(a.profile.name == "password");
    CHECK(a.profile.host == "vpn.example.com");
    CHECK(a.profile.port == 443);
    CHECK(a.profile.hub == "ACME");
    CHECK(a.profile.username == "bob");
    CHECK(a.profile.auth_method == AuthMethod::password_hash);
    REQUIRE(a.profile.password_hash);
    CHECK(base64_encode(*a.profile.password_hash) == "AFNL2tupeMRQM0to84WItMnMun8=");
    CHECK(a.profile.max_connections == 4);
    CHECK(a.profile.half_connection);
    CHECK(a.profile.compression);
    CHECK(a.profile.tls_verify == TlsVerify::fingerprint);
    CHECK_FALSE(noted(a, "insecure"));
}

TEST_CASE("vpn import: UDP acceleration follows the account's NoUdpAcceleration") {
    CHECK(imported("password.vpn").profile.udp_acceleration);
    auto text = vector_file("password.vpn");
    const std::string on = "bool NoUdpAcceleration false";
    const auto at = text.find(on);
    REQUIRE(at != std::string::npos);
    text.replace(at, on.size(), "bool NoUdpAcceleration true");
    auto account = import_vpn_account(text, "password.vpn", "");
    REQUIRE(account);
    CHECK_FALSE(account->profile.udp_acceleration);
    CHECK(profile_to_toml(account->profile).find("udp_acceleration = false") != std::string::npos);
}

TEST_CASE("vpn import: a RADIUS password comes back in clear; retries off; the port") {
    auto a = imported("radius.vpn");
    CHECK(a.profile.auth_method == AuthMethod::plain_password);
    CHECK(a.profile.password == "pass word");
    CHECK(a.profile.port == 992);
    CHECK_FALSE(a.profile.reconnect);
    CHECK(a.profile.tls_verify == TlsVerify::insecure);
    CHECK(noted(a, "tls.verify = \"insecure\""));
}

TEST_CASE("vpn import: anonymous, a name with spaces and UTF-8") {
    auto anonymous = imported("anonymous.vpn");
    CHECK(anonymous.profile.auth_method == AuthMethod::anonymous);
    CHECK(anonymous.profile.host == "203.0.113.7");
    CHECK(anonymous.profile.port == 5555);

    auto office = imported("Office_VPN.vpn");
    CHECK(office.account_name == "Office VPN");
    CHECK(office.profile.name == "Office-VPN");
    CHECK(office.profile.hub == "Sales Hub");
    CHECK(office.profile.username == "jürgen müller");
}

TEST_CASE("vpn import: a certificate account brings its certificate and key as bytes") {
    auto a = import_vpn_account(vector_file("certificate.vpn"), "certificate.vpn", "");
    REQUIRE(a.ok());
    CHECK(a->profile.auth_method == AuthMethod::certificate);
    CHECK(a->profile.username == "carol");
    CHECK(a->profile.cert_data.size() > 700);  // DER, as in the file
    CHECK(static_cast<unsigned char>(a->profile.key_data.front()) == 0x30);
    CHECK(a->profile.cert_file.empty());

    std::map<std::string, std::pair<std::string, unsigned>> written;
    auto write = [&](const std::filesystem::path& path, std::string_view bytes, unsigned mode) -> Status {
        written[path.string()] = {std::string(bytes), mode};
        return {};
    };
    auto profile = a->profile;
    const std::filesystem::path dir = "/etc/vpnse/profiles";  // the separator is the platform's
    REQUIRE(store_certificate_files(profile, dir, write).ok());
    CHECK(profile.cert_file == (dir / "certificate.cert.der").string());
    CHECK(profile.key_file == (dir / "certificate.key.der").string());
    CHECK(profile.cert_data.empty());
    CHECK(written.at(profile.key_file) == std::pair{a->profile.key_data, 0600u});
    CHECK(written.at(profile.cert_file).first == a->profile.cert_data);
    // What is written reads back as the same profile, files named.
    auto reread = parse_profile(profile_to_toml(profile), "t", "certificate");
    REQUIRE(reread.ok());
    CHECK(*reread == profile);

    auto failing = a->profile;
    auto refuse = [](const std::filesystem::path& path, std::string_view, unsigned) -> Status {
        return Error(ErrorCode::io_error, path.string() + ": read-only");
    };
    CHECK(store_certificate_files(failing, "/ro", refuse).error().message() ==
          (std::filesystem::path("/ro") / "certificate.key.der").string() + ": read-only");
    CHECK(failing.cert_file.empty());
}

TEST_CASE("vpn import: a certificate with a key of another kind is refused with the loader's reason") {
    auto text = vector_file("certificate.vpn");
    const auto key_at = text.find("byte ClientKey ");
    REQUIRE(key_at != std::string::npos);
    text.replace(key_at, text.find('\n', key_at) - key_at, "byte ClientKey MAMCAQA=");
    auto a = import_vpn_account(text, "c.vpn", "");
    REQUIRE_FALSE(a.ok());
    CHECK(a.error().code() == ErrorCode::config_invalid);
    CHECK_THAT(a.error().message(), Catch::Contains("c.vpn: ClientAuth.ClientKey"));
}

TEST_CASE("vpn import: HTTP and SOCKS5 proxies are carried over with their password; SOCKS4 is noted") {
    auto http = imported("proxy-http.vpn");
    CHECK(http.profile.proxy_type == ProxyType::http);
    CHECK(http.profile.proxy_host == "proxy.example.com");
    CHECK(http.profile.proxy_port == 8080);
    CHECK(http.profile.proxy_username == "puser");
    CHECK(http.profile.proxy_password == "ppass");
    auto socks5 = imported("proxy-socks5.vpn");
    CHECK(socks5.profile.proxy_type == ProxyType::socks5);
    CHECK(socks5.profile.proxy_password == "spass");
    auto socks4 = imported("proxy-socks.vpn");
    CHECK(socks4.profile.proxy_type == ProxyType::none);
    CHECK(noted(socks4, "SOCKS4 proxy (socks.example.com:1080) was not imported"));
}

TEST_CASE("vpn import: the name given wins; names are made valid") {
    CHECK(import_vpn_account(vector_file("password.vpn"), "x", "work")->profile.name == "work");
    CHECK(profile_name_from("Office VPN (new)") == "Office-VPN-new");
    CHECK(profile_name_from("###") == "imported");
    CHECK(profile_name_from(std::string(50, 'a')).size() == 32);
}

TEST_CASE("cfg text: malformed input names the line") {
    auto error = [](std::string_view text) {
        auto parsed = parse_cfg_text(text, "t.vpn");
        REQUIRE_FALSE(parsed.ok());
        return parsed.error().message();
    };
    CHECK(error("") == "t.vpn: line 0: empty: expected \"declare root\"");
    CHECK(error("declare root\n{\n\tbool X maybe\n}\n") == "t.vpn: line 3: X: bool must be true or false");
    CHECK(error("declare root\n{\n\tuint X 4294967296\n}\n") ==
          "t.vpn: line 3: X: uint must be a decimal number in range");
    CHECK(error("declare root\n{\n\tstring X a$2\n}\n") == "t.vpn: line 3: X: bad $ escape in string");
    CHECK(error("declare root\n{\n\tbyte X !!\n}\n") == "t.vpn: line 3: X: byte value is not base64");
    CHECK(error("declare root\n{\n\tfloat X 1\n}\n") ==
          "t.vpn: line 3: unknown type \"float\" (bool, uint, uint64, string, byte)");
    CHECK(error("declare root\n{\n\tuint X 1\n\tuint X 2\n}\n") == "t.vpn: line 4: X: defined twice");
    CHECK(error("declare root\n{\n") == "t.vpn: line 2: the file ends inside a folder (missing })");
    CHECK(error("declare root\n{\n}\nx\n") == "t.vpn: line 4: text after the root folder");
    std::string deep = "declare root\n{\n";
    for (int i = 0; i < 20; ++i)
        deep += "declare f\n{\n";
    CHECK_THAT(error(deep), Catch::Contains("nested deeper than 16"));
    auto not_account = import_vpn_account("declare root\n{\n}\n", "t.vpn", "");
    CHECK(not_account.error().message() ==
          "t.vpn: not an account file (no ClientOption and ClientAuth folders)");
}
