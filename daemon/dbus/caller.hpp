#pragma once
// Who sent a D-Bus method call, as the bus vouches for it (GetConnectionCredentials on the sender),
// never from the call's arguments; the group rule is the socket's (platform/posix/group_membership.hpp).
#include <string>

#include "api/caller.hpp"

namespace sdbus {
class Message;
}

namespace vpnsed::dbus {

// A sender whose credentials the bus cannot give is an unprivileged nobody.
api::Caller caller_of(const sdbus::Message& call, const std::string& group);

}  // namespace vpnsed::dbus
