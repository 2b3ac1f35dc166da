#pragma once
// RAII owners for libnl objects and the few netlink helpers the Linux backends share.
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include <memory>
#include <string>

#include "platform/ip.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform::nl {

struct NlSockFree {
    void operator()(nl_sock* p) const noexcept { nl_socket_free(p); }
};
struct NlAddrPut {
    void operator()(nl_addr* p) const noexcept { nl_addr_put(p); }
};
struct NlMsgFree {
    void operator()(nl_msg* p) const noexcept { nlmsg_free(p); }
};
struct RtnlLinkPut {
    void operator()(rtnl_link* p) const noexcept { rtnl_link_put(p); }
};
struct RtnlAddrPut {
    void operator()(rtnl_addr* p) const noexcept { rtnl_addr_put(p); }
};
struct RtnlRoutePut {
    void operator()(rtnl_route* p) const noexcept { rtnl_route_put(p); }
};
struct NlCacheFree {
    void operator()(nl_cache* p) const noexcept { nl_cache_free(p); }
};

using NlSocket = std::unique_ptr<nl_sock, NlSockFree>;
using NlAddr = std::unique_ptr<nl_addr, NlAddrPut>;
using NlMsg = std::unique_ptr<nl_msg, NlMsgFree>;
using RtnlLink = std::unique_ptr<rtnl_link, RtnlLinkPut>;
using RtnlAddr = std::unique_ptr<rtnl_addr, RtnlAddrPut>;
using RtnlRoute = std::unique_ptr<rtnl_route, RtnlRoutePut>;
using NlCache = std::unique_ptr<nl_cache, NlCacheFree>;

// A connected NETLINK_ROUTE socket in the caller's network namespace.
Result<NlSocket> open_route_socket();
// libnl error (negative NLE_*) to a vpnse error; `what` says which operation failed.
Error netlink_error(int nl_error, const std::string& what);
// True for the "already gone" answers of a delete (no such address/route/rule/device).
bool is_gone(int nl_error) noexcept;
int address_family(IpFamily family) noexcept;
// An nl_addr carrying `cidr`'s bytes and prefix length.
NlAddr make_nl_addr(const Cidr& cidr);

}  // namespace vpnse::platform::nl
