#pragma once
// Who is calling the service API. Each adapter fills it from what its transport's kernel or bus vouches
// for (SO_PEERCRED on the Unix socket, the sender's credentials on D-Bus, the client token on a named
// pipe), never from anything the client says.
#include <cstdint>
#include <string>

namespace vpnsed::api {

enum class Origin { unix_socket, dbus, named_pipe, internal };

struct Caller {
    std::uint32_t uid = static_cast<std::uint32_t>(-1);
    std::uint32_t gid = static_cast<std::uint32_t>(-1);
    std::int64_t pid = 0;
    Origin origin = Origin::unix_socket;
    // Root or a member of the service group (Administrators or the group on Windows): may call the
    // mutating calls of calls.hpp. Established by the adapter's platform lookup.
    bool privileged = false;
    // D-Bus: the sender's unique connection name, the subject the policy (api/authority.hpp) is asked
    // about. Empty elsewhere: the policy is asked about the process (pid, uid).
    std::string bus_name;
};

}  // namespace vpnsed::api
