#include "platform/linux/netlink.hpp"

#include <netlink/errno.h>
#include <sys/socket.h>

namespace vpnse::platform::nl {

Result<NlSocket> open_route_socket() {
    NlSocket sock(nl_socket_alloc());
    if (!sock)
        return Error(ErrorCode::internal, "nl_socket_alloc failed");
    if (const int rc = nl_connect(sock.get(), NETLINK_ROUTE); rc < 0)
        return netlink_error(rc, "netlink connect");
    return sock;
}

Error netlink_error(int nl_error, const std::string& what) {
    const int e = nl_error < 0 ? -nl_error : nl_error;
    ErrorCode code = ErrorCode::io_error;
    switch (e) {
        case NLE_PERM:
        case NLE_NOACCESS:
            code = ErrorCode::permission_denied;
            break;
        case NLE_EXIST:
            code = ErrorCode::already_exists;
            break;
        case NLE_OBJ_NOTFOUND:
        case NLE_NODEV:
        case NLE_NOADDR:
            code = ErrorCode::not_found;
            break;
        case NLE_INVAL:
        case NLE_RANGE:
            code = ErrorCode::invalid_argument;
            break;
        default:
            break;
    }
    return Error(code, what + ": " + nl_geterror(e));
}

bool is_gone(int nl_error) noexcept {
    const int e = nl_error < 0 ? -nl_error : nl_error;
    return e == NLE_OBJ_NOTFOUND || e == NLE_NODEV || e == NLE_NOADDR;
}

int address_family(IpFamily family) noexcept {
    return family == IpFamily::v4 ? AF_INET : AF_INET6;
}

NlAddr make_nl_addr(const Cidr& cidr) {
    NlAddr addr(nl_addr_build(address_family(cidr.family()), cidr.address.bytes().data(),
                              cidr.address.byte_length()));
    if (addr)
        nl_addr_set_prefixlen(addr.get(), cidr.prefix);
    return addr;
}

}  // namespace vpnse::platform::nl
