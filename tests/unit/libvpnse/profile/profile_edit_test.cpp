#include "profile/profile_edit.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "profile/profile_parser.hpp"

using vpnse::ErrorCode;
using vpnse::parse_profile;
using vpnse::set_profile_key;

namespace {

const std::string kFingerprint =
    "AB:CD:EF:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89";

// Applies the edits one after the other, requiring each to succeed.
std::string build(std::string text,
                  std::initializer_list<std::pair<const char*, vpnse::ProfileValue>> edits) {
    for (const auto& [key, value] : edits) {
        auto next = set_profile_key(text, key, value);
        REQUIRE(next.ok());
        text = std::move(next).value();
    }
    return text;
}

// Whether the TOML text holds the string value `value` (toml++ writes literal strings where it can).
bool holds_string(const std::string& text, const std::string& value) {
    return text.find('"' + value + '"') != std::string::npos ||
           text.find('\'' + value + '\'') != std::string::npos;
}

}  // namespace

TEST_CASE("set_profile_key builds a profile that parse_profile accepts, key by key") {
    const auto text = build("", {{"server.host", std::string("10.0.0.1")},
                                 {"server.port", std::int64_t{5555}},
                                 {"server.hub", std::string("HUB")},
                                 {"auth.username", std::string("alice")},
                                 {"auth.password", std::string("a \"quoted\" secret\\")},
                                 {"tls.fingerprint", kFingerprint},
                                 {"autoconnect", true}});
    auto profile = parse_profile(text, "kv", "kv");
    REQUIRE(profile.ok());
    CHECK(profile->host == "10.0.0.1");
    CHECK(profile->port == 5555);
    CHECK(profile->password == "a \"quoted\" secret\\");
    CHECK(profile->autoconnect);
}

TEST_CASE("set_profile_key replaces a value and keeps the rest of the text's keys") {
    const auto text = build("[server]\nhost = \"a\"\nhub = \"H\"\n", {{"server.host", std::string("b")}});
    CHECK(holds_string(text, "b"));
    CHECK_FALSE(holds_string(text, "a"));
    CHECK(holds_string(text, "H"));
}

TEST_CASE("set_profile_key refuses what is not a key, a value in the way, and text that is not TOML") {
    CHECK(set_profile_key("", "server..host", std::string("x")).error().code() == ErrorCode::config_invalid);
    CHECK(set_profile_key("", "server.ho st", std::string("x")).error().code() == ErrorCode::config_invalid);
    CHECK(set_profile_key("", "", std::string("x")).error().code() == ErrorCode::config_invalid);
    const auto in_the_way = set_profile_key("autoconnect = true\n", "autoconnect.x", true);
    REQUIRE_FALSE(in_the_way.ok());
    CHECK(in_the_way.error().message().find("'autoconnect' is a value") != std::string::npos);
    CHECK(set_profile_key("[server\n", "server.host", std::string("x")).error().code() ==
          ErrorCode::config_invalid);
}
