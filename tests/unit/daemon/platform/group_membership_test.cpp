#include "platform/posix/group_membership.hpp"

#include <catch2/catch.hpp>

using vpnsed::platform::is_root_or_member;

TEST_CASE("group rule: root is privileged, unknown groups grant nothing") {
    CHECK(is_root_or_member(0, 0, "no-such-group-vpnse"));
    CHECK_FALSE(is_root_or_member(65534, 65534, "no-such-group-vpnse"));
}

TEST_CASE("group rule: the primary group counts as membership") {
    // gid 0 is "root" on every Linux system.
    CHECK(is_root_or_member(65534, 0, "root"));
}
