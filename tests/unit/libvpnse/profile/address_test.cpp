#include "profile/address.hpp"

#include <catch2/catch.hpp>

using namespace vpnse::profile;

TEST_CASE("CIDR syntax") {
    for (const char* good : {"10.0.0.0/8", "0.0.0.0/0", "192.168.1.1/32", "2001:db8::/32", "::/0",
                             "fe80::1/128", "::ffff:10.0.0.1/128", "1:2:3:4:5:6:7:8/64", "1::8/64"}) {
        INFO(good);
        CHECK(is_cidr(good));
    }
    for (const char* bad : {"10.0.0.0", "10.0.0/8", "10.0.0.0/33", "256.0.0.0/8", "10.0.0.01/8", "/8",
                            "10.0.0.0/", "10.0.0.0/-1", "2001:db8::/129", "1:2:3:4:5:6:7:8:9/64",
                            "1::2::3/64", "12345::/16", "1:2:3:4:5:6:7::8/64", "host/8", "10.0.0.0/8 "}) {
        INFO(bad);
        CHECK_FALSE(is_cidr(bad));
    }
}

TEST_CASE("MAC syntax") {
    CHECK(is_mac_address("5e:00:12:34:56:78"));
    CHECK(is_mac_address("5E:AB:cd:34:56:78"));
    CHECK_FALSE(is_mac_address("5e-00-12-34-56-78"));
    CHECK_FALSE(is_mac_address("5e:00:12:34:56"));
    CHECK_FALSE(is_mac_address("5e:00:12:34:56:7g"));
}
