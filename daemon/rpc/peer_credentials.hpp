#pragma once
// Who is on the other end of a control-socket connection, from the kernel (SO_PEERCRED), not from
// anything the client says. Root and members of the configured group (primary or supplementary) may
// call mutating methods; everyone else may only read.
#include <string>

#include "api/caller.hpp"

namespace vpnsed::rpc {

using Caller = api::Caller;

// `fd` is a connected AF_UNIX stream socket. Unknown peers (no credentials) are unprivileged.
// The group rule is platform::is_root_or_member (platform/posix/group_membership.hpp).
Caller identify_peer(int fd, const std::string& group);

}  // namespace vpnsed::rpc
