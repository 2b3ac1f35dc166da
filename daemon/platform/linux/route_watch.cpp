#include "platform/linux/route_watch.hpp"

#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

namespace vpnse::platform {
namespace {
// Coalesces the burst of messages one "ip route flush" or a NetworkManager reconfiguration produces.
constexpr auto kDebounce = std::chrono::milliseconds(200);
}  // namespace

RouteWatch::RouteWatch(asio::io_context& io, std::function<void()> on_removal, Logger log)
    : io_(io), on_removal_(std::move(on_removal)), log_(std::move(log)), debounce_(io) {}

RouteWatch::~RouteWatch() {
    *alive_ = false;
    if (stream_) {
        asio::error_code ignored;
        stream_->cancel(ignored);
        stream_->release();  // libnl owns and closes the fd
    }
}

Status RouteWatch::start() {
    nl::NlSocket socket(nl_socket_alloc());
    if (!socket)
        return Error(ErrorCode::internal, "nl_socket_alloc failed");
    nl_socket_disable_seq_check(socket.get());
    nl_socket_modify_cb(socket.get(), NL_CB_VALID, NL_CB_CUSTOM, &RouteWatch::on_message, this);
    if (const int rc = nl_connect(socket.get(), NETLINK_ROUTE); rc < 0)
        return nl::netlink_error(rc, "connect rtnetlink monitor");
    if (const int rc =
            nl_socket_add_memberships(socket.get(), RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE, RTNLGRP_IPV4_RULE,
                                      RTNLGRP_IPV6_RULE, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, 0);
        rc < 0)
        return nl::netlink_error(rc, "subscribe to route changes");
    nl_socket_set_nonblocking(socket.get());
    socket_ = std::move(socket);
    stream_.emplace(io_, nl_socket_get_fd(socket_.get()));
    wait();
    return {};
}

int RouteWatch::on_message(nl_msg* message, void* self) {
    const auto type = nlmsg_hdr(message)->nlmsg_type;
    if (type == RTM_DELROUTE || type == RTM_DELRULE || type == RTM_DELADDR)
        static_cast<RouteWatch*>(self)->removal_seen_ = true;
    return NL_OK;
}

void RouteWatch::wait() {
    stream_->async_wait(asio::posix::stream_descriptor::wait_read,
                        [this, alive = std::weak_ptr<bool>(alive_)](const asio::error_code& ec) {
                            if (ec || alive.expired())
                                return;
                            // Drain everything queued; -NLE_AGAIN ends it on a non-blocking socket.
                            for (int i = 0; i < 64 && nl_recvmsgs_default(socket_.get()) >= 0; ++i) {
                            }
                            if (removal_seen_) {
                                removal_seen_ = false;
                                debounce_.expires_after(kDebounce);
                                debounce_.async_wait([this, alive](const asio::error_code& e) {
                                    if (!e && !alive.expired())
                                        on_removal_();
                                });
                            }
                            wait();
                        });
}

}  // namespace vpnse::platform
