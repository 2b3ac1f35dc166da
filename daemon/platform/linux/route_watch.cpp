#include "platform/linux/route_watch.hpp"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/inotify.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace vpnse::platform {
namespace {
// Coalesces the burst of messages one "ip route flush" or a NetworkManager reconfiguration produces.
constexpr auto kDebounce = std::chrono::milliseconds(200);
}  // namespace

RouteWatch::RouteWatch(asio::io_context& io, int tunnel_ifindex, NetworkWatchCallbacks callbacks, Logger log)
    : io_(io),
      tunnel_ifindex_(tunnel_ifindex),
      callbacks_(std::move(callbacks)),
      log_(std::move(log)),
      debounce_(io) {}

RouteWatch::~RouteWatch() {
    *alive_ = false;
    if (inotify_) {
        asio::error_code ignored;
        inotify_->cancel(ignored);
    }
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
    if (!callbacks_.dns_file.empty())
        return watch_dns_file();
    return {};
}

Status RouteWatch::watch_dns_file() {
    // The directory, not the file: a writer that renames a new file over it replaces the inode.
    const std::filesystem::path file(callbacks_.dns_file);
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return Error(ErrorCode::io_error, std::string("inotify_init1: ") + std::strerror(errno));
    inotify_.emplace(io_, fd);  // owns fd from here on
    const auto directory = file.parent_path().string();
    if (::inotify_add_watch(fd, directory.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_CREATE) < 0)
        return Error(ErrorCode::io_error, "watch " + directory + ": " + std::strerror(errno));
    dns_file_name_ = file.filename().string();
    wait_dns_file();
    return {};
}

void RouteWatch::wait_dns_file() {
    inotify_->async_wait(asio::posix::stream_descriptor::wait_read, [this,
                                                                     alive = std::weak_ptr<bool>(alive_)](
                                                                        const asio::error_code& ec) {
        if (ec || alive.expired())
            return;
        alignas(inotify_event) std::array<char, 4096> buffer;
        for (;;) {
            const auto n = ::read(inotify_->native_handle(), buffer.data(), buffer.size());
            if (n <= 0)
                break;  // EAGAIN: drained
            for (ssize_t at = 0; at < n;) {
                const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
                // IN_Q_OVERFLOW carries no name: assume the worst.
                if ((event->mask & IN_Q_OVERFLOW) != 0 || (event->len > 0 && dns_file_name_ == event->name))
                    dns_file_change_seen_ = true;
                at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            }
        }
        if (dns_file_change_seen_)
            debounce();
        wait_dns_file();
    });
}

int RouteWatch::on_message(nl_msg* message, void* self_ptr) {
    auto* self = static_cast<RouteWatch*>(self_ptr);
    nlmsghdr* header = nlmsg_hdr(message);
    const auto type = header->nlmsg_type;
    if (type == RTM_DELROUTE || type == RTM_DELRULE || type == RTM_DELADDR)
        self->removal_seen_ = true;
    if ((type == RTM_NEWROUTE || type == RTM_DELROUTE) &&
        nlmsg_datalen(header) >= static_cast<int>(sizeof(rtmsg))) {
        // A default route of the main table that is not the tunnel's: the path to the server changed.
        const auto* route = static_cast<const rtmsg*>(nlmsg_data(header));
        if (route->rtm_family == AF_INET && route->rtm_dst_len == 0 && route->rtm_table == RT_TABLE_MAIN) {
            const nlattr* oif = nlmsg_find_attr(header, sizeof(rtmsg), RTA_OIF);
            if (!oif || static_cast<int>(nla_get_u32(const_cast<nlattr*>(oif))) != self->tunnel_ifindex_)
                self->uplink_change_seen_ = true;
        }
    }
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
                            if (removal_seen_ || uplink_change_seen_)
                                debounce();
                            wait();
                        });
}

void RouteWatch::debounce() {
    debounce_.expires_after(kDebounce);
    debounce_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const asio::error_code& e) {
        if (e || alive.expired())
            return;
        const bool removal = std::exchange(removal_seen_, false);
        const bool uplink = std::exchange(uplink_change_seen_, false);
        const bool dns_file = std::exchange(dns_file_change_seen_, false);
        // The owner may destroy this watch from inside any callback: call copies, and stop once it
        // is gone.
        for (const auto& [seen, callback] :
             {std::pair{removal, callbacks_.on_removal}, std::pair{uplink, callbacks_.on_uplink_change},
              std::pair{dns_file, callbacks_.on_dns_file_change}}) {
            if (!seen || !callback)
                continue;
            callback();
            if (alive.expired())
                return;
        }
    });
}

Result<std::unique_ptr<NetworkWatch>> watch_routes(asio::io_context& io, int tunnel_ifindex,
                                                   NetworkWatchCallbacks callbacks, Logger logger) {
    auto watch = std::make_unique<RouteWatch>(io, tunnel_ifindex, std::move(callbacks), std::move(logger));
    if (auto status = watch->start(); !status)
        return std::move(status).error();
    return std::unique_ptr<NetworkWatch>(std::move(watch));
}

}  // namespace vpnse::platform
