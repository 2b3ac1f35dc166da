#pragma once
// The group rule of every control channel (socket, D-Bus): root, or a member of the service group,
// primary or supplementary, as the group database says.
#include <sys/types.h>

#include <string>

namespace vpnsed::platform {

// uid 0, or `group` among the groups of the user `uid` (whose primary group the caller reports as `gid`).
bool is_root_or_member(uid_t uid, gid_t gid, const std::string& group);

}  // namespace vpnsed::platform
