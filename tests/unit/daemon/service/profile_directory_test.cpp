#include "service/profile_directory.hpp"

#include <catch2/catch.hpp>
#include <functional>

#include "profile/profile_parser.hpp"

using vpnsed::service::same_profile;

namespace {

vpnse::Profile sample() {
    auto profile = vpnse::parse_profile(
        "[server]\nhost = \"vpn.example.com\"\nhub = \"ACME\"\n"
        "[auth]\nmethod = \"password_hash\"\nusername = \"bob\"\n"
        "password_hash = \"AAECAwQFBgcICQoLDA0ODxAREhM=\"\n"
        "[tls]\nverify = \"insecure\"\n"
        "[network]\ninclude = [\"10.0.0.0/8\"]\n",
        "office.toml", "office");
    REQUIRE(profile);
    return std::move(profile).value();
}

}  // namespace

TEST_CASE("same_profile: a parsed profile equals its copy and a second parse of the same text") {
    const auto a = sample();
    auto b = a;
    CHECK(same_profile(a, b));
    CHECK(same_profile(a, sample()));
}

TEST_CASE("same_profile: a change in any kind of field makes profiles differ") {
    const auto base = sample();
    const std::vector<std::pair<const char*, std::function<void(vpnse::Profile&)>>> changes = {
        {"name", [](vpnse::Profile& p) { p.name = "home"; }},
        {"port", [](vpnse::Profile& p) { p.port = 992; }},
        {"password_hash", [](vpnse::Profile& p) { (*p.password_hash)[19] ^= 1; }},
        {"password_hash unset", [](vpnse::Profile& p) { p.password_hash.reset(); }},
        {"tls_verify", [](vpnse::Profile& p) { p.tls_verify = vpnse::TlsVerify::fingerprint; }},
        {"pinned_sha256", [](vpnse::Profile& p) { p.pinned_sha256[0] ^= 1; }},
        {"include_routes", [](vpnse::Profile& p) { p.include_routes.push_back("192.168.0.0/16"); }},
        {"exclude_routes", [](vpnse::Profile& p) { p.exclude_routes.push_back("10.1.0.0/16"); }},
        {"mtu", [](vpnse::Profile& p) { p.mtu = 1300; }},
        {"mac", [](vpnse::Profile& p) { p.mac = "5e:00:00:00:00:01"; }},
        {"reconnect_max_ms", [](vpnse::Profile& p) { p.reconnect_max_ms = 1; }},
        {"autoconnect", [](vpnse::Profile& p) { p.autoconnect = !p.autoconnect; }},
    };
    for (const auto& [field, change] : changes) {
        INFO(field);
        auto changed = base;
        change(changed);
        CHECK_FALSE(same_profile(base, changed));
        CHECK_FALSE(same_profile(changed, base));
    }
}
