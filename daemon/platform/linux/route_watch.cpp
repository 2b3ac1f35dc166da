#include "platform/linux/route_watch.hpp"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <utility>

namespace vpnse::platform {
namespace {
// Coalesces the burst of messages one "ip route flush" or a NetworkManager reconfiguration produces.
constexpr auto kDebounce = std::chrono::milliseconds(200);
}  // namespace

RouteWatch::RouteWatch(asio::io_context& io, int tunnel_ifindex, std::function<void()> on_removal,
                       std::function<void()> on_uplink_change, Logger log)
    : io_(io),
      tunnel_ifindex_(tunnel_ifindex),
      on_removal_(std::move(on_removal)),
      on_uplink_change_(std::move(on_uplink_change)),
      log_(std::move(log)),
      debounce_(io) {}

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
    // Route floods (a VPN of our own or someone else's coming up) must not overrun the queue.
    (void)nl_socket_set_buffer_size(socket.get(), 1 << 20, 0);
    socket_ = std::move(socket);
    stream_.emplace(io_, nl_socket_get_fd(socket_.get()));
    wait();
    return {};
}

int RouteWatch::on_message(nl_msg* message, void* self_ptr) {
    auto* self = static_cast<RouteWatch*>(self_ptr);
    nlmsghdr* header = nlmsg_hdr(message);
    const auto type = header->nlmsg_type;
    if (type == RTM_DELROUTE || type == RTM_DELRULE || type == RTM_DELADDR)
        self->removal_seen_ = true;
    if (type == RTM_DELADDR && nlmsg_datalen(header) >= static_cast<int>(sizeof(ifaddrmsg))) {
        const auto* address = static_cast<const ifaddrmsg*>(nlmsg_data(header));
        if (address->ifa_family == AF_INET && static_cast<int>(address->ifa_index) != self->tunnel_ifindex_)
            self->uplink_change_seen_ = true;
    }
    if (type == RTM_DELLINK && nlmsg_datalen(header) >= static_cast<int>(sizeof(ifinfomsg))) {
        const auto* link = static_cast<const ifinfomsg*>(nlmsg_data(header));
        if (link->ifi_index != self->tunnel_ifindex_)
            self->uplink_change_seen_ = true;
    }
    return NL_OK;
}

void RouteWatch::wait() {
    stream_->async_wait(asio::posix::stream_descriptor::wait_read,
                        [this, alive = std::weak_ptr<bool>(alive_)](const asio::error_code& ec) {
                            if (ec || alive.expired())
                                return;
                            // Drain everything queued; -NLE_AGAIN ends it on a non-blocking socket.
                            // -NLE_NOMEM is ENOBUFS: the kernel dropped notifications, so assume the
                            // worst and let the owner compare everything.
                            for (int i = 0; i < 64; ++i) {
                                const int rc = nl_recvmsgs_default(socket_.get());
                                if (rc == -NLE_NOMEM)
                                    removal_seen_ = true;
                                else if (rc < 0)
                                    break;
                            }
                            if (removal_seen_ || uplink_change_seen_) {
                                debounce_.expires_after(kDebounce);
                                debounce_.async_wait([this, alive](const asio::error_code& e) {
                                    if (e || alive.expired())
                                        return;
                                    const bool removal = std::exchange(removal_seen_, false);
                                    const bool uplink = std::exchange(uplink_change_seen_, false);
                                    // The owner may destroy this watch from inside either
                                    // callback: call copies, and stop once it is gone.
                                    if (removal && on_removal_) {
                                        auto callback = on_removal_;
                                        callback();
                                        if (alive.expired())
                                            return;
                                    }
                                    if (uplink && on_uplink_change_) {
                                        auto callback = on_uplink_change_;
                                        callback();
                                    }
                                });
                            }
                            wait();
                        });
}

Result<std::unique_ptr<NetworkWatch>> watch_routes(asio::io_context& io, int tunnel_ifindex,
                                                   NetworkWatchCallbacks callbacks, Logger logger) {
    auto watch = std::make_unique<RouteWatch>(io, tunnel_ifindex, std::move(callbacks.on_removal),
                                              std::move(callbacks.on_uplink_change), std::move(logger));
    if (auto status = watch->start(); !status)
        return std::move(status).error();
    return std::unique_ptr<NetworkWatch>(std::move(watch));
}

}  // namespace vpnse::platform
