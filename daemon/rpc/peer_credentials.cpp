#include "rpc/peer_credentials.hpp"

#include <sys/socket.h>

#include "platform/posix/group_membership.hpp"

namespace vpnsed::rpc {

Caller identify_peer(int fd, const std::string& group) {
    Caller caller;
    struct ucred credentials {};
    socklen_t length = sizeof credentials;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0 || length != sizeof credentials)
        return caller;
    caller.uid = credentials.uid;
    caller.gid = credentials.gid;
    caller.pid = credentials.pid;
    caller.privileged = platform::is_root_or_member(credentials.uid, credentials.gid, group);
    return caller;
}

}  // namespace vpnsed::rpc
