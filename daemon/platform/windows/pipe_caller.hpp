#pragma once
// Who is on the other end of a named-pipe connection, from the client's access token (the kernel's
// word, never the client's): Administrators (in an elevated token), LocalSystem and members of the
// local group `group` are privileged and may call the mutating methods; everyone else may only read.
#include <windows.h>

#include <string>

#include "api/caller.hpp"

namespace vpnsed::rpc {

// `pipe` is a connected server end. A client whose token cannot be read is unprivileged.
api::Caller identify_pipe_client(HANDLE pipe, const std::string& group);

}  // namespace vpnsed::rpc
