#include "dbus/caller.hpp"

#include <sdbus-c++/sdbus-c++.h>

#include "platform/posix/group_membership.hpp"

namespace vpnsed::dbus {

api::Caller caller_of(const sdbus::Message& call, const std::string& group) {
    api::Caller caller;
    caller.origin = api::Origin::dbus;
    caller.bus_name = call.getSender();
    try {
        caller.uid = call.getCredsUid();
        caller.pid = call.getCredsPid();
    } catch (const sdbus::Error&) {
        return caller;
    }
    // dbus-daemon reports the uid and pid but not always a primary gid; the group rule looks the user's
    // groups up by uid, so an unknown gid only skips the "primary group" shortcut.
    try {
        caller.gid = call.getCredsGid();
    } catch (const sdbus::Error&) {
    }
    caller.privileged = platform::is_root_or_member(caller.uid, caller.gid, group);
    return caller;
}

}  // namespace vpnsed::dbus
