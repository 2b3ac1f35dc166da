#include "dbus/object_path.hpp"

#include <catch2/catch.hpp>

using namespace vpnsed::dbus;

TEST_CASE("dbus paths: names map to path elements of [A-Za-z0-9_] only, one-to-one") {
    CHECK(escape_path_element("office") == "office");
    CHECK(escape_path_element("office-vpn") == "office_2dvpn");
    CHECK(escape_path_element("a_b") == "a_5fb");
    CHECK(escape_path_element("a.b c") == "a_2eb_20c");
    CHECK(escape_path_element("\xc3\xa9") == "_c3_a9");
    CHECK(escape_path_element("") == "_");
    CHECK(tunnel_path("home lab") == "/org/vpnse/Tunnel/home_20lab");
}

TEST_CASE("dbus paths: every name comes back from its path") {
    for (std::string name : {"office", "office-vpn", "a_b", "_", "__", "x.y/z", "\x01\xff", "Ünïcode", "9"}) {
        INFO(name);
        auto element = escape_path_element(name);
        for (char c : element)
            CHECK(((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'));
        CHECK(unescape_path_element(element) == name);
        CHECK(profile_of_path(tunnel_path(name)) == name);
    }
}

TEST_CASE("dbus paths: anything escape_path_element cannot have written is refused") {
    CHECK_FALSE(unescape_path_element("a_2").has_value());   // truncated escape
    CHECK_FALSE(unescape_path_element("a_zz").has_value());  // not hex
    CHECK_FALSE(unescape_path_element("a_2D").has_value());  // upper-case hex is not ours
    CHECK_FALSE(unescape_path_element("_61").has_value());   // 'a' is never escaped
    CHECK_FALSE(unescape_path_element("a-b").has_value());   // not a path character
    CHECK_FALSE(profile_of_path("/org/vpnse/Daemon").has_value());
    CHECK_FALSE(profile_of_path("/org/vpnse/Tunnel/").has_value());
    CHECK_FALSE(profile_of_path("/org/vpnse/Tunnel/a/b").has_value());
}
