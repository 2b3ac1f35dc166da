#include "dbus/profile_dict.hpp"

#include <catch2/catch.hpp>

using namespace vpnsed;

TEST_CASE("dbus GetProfile: the profile flattened to dotted keys, secrets left out") {
    vpnse::Profile profile;
    profile.name = "office";
    profile.host = "vpn.example.com";
    profile.port = 443;
    profile.hub = "ACME";
    profile.username = "bob";
    profile.password = "hunter2";
    auto dict = dbus::profile_dict(protocol::without_secrets(profile));
    REQUIRE(dict.count("server.host"));
    CHECK(dict.at("server.host").get<std::string>() == "vpn.example.com");
    CHECK(dict.at("server.port").get<std::uint64_t>() == 443);
    CHECK(dict.at("auth.username").get<std::string>() == "bob");
    CHECK(dict.at("auth.has_password").get<bool>());
    for (const auto& [key, value] : dict) {
        INFO(key);
        const bool names_a_secret =
            key.find("password") != std::string::npos && key.find("has_") == std::string::npos;
        CHECK_FALSE(names_a_secret);
        if (value.containsValueOfType<std::string>())
            CHECK(value.get<std::string>().find("hunter2") == std::string::npos);
    }
}
