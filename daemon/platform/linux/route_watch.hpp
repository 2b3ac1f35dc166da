#pragma once
// Watches rtnetlink in this network namespace and calls back (debounced):
//  * on_removal: a route, rule or address was deleted, so a tunnel can put back what someone else
//    removed (NetworkManager, networkd on resume);
//  * on_uplink_change: an IPv4 address or a link other than `tunnel_ifindex` went away, or a default
//    route of the main table not through `tunnel_ifindex` came, went or changed (a new gateway), so the
//    session's TCP connections are probably dead and a prompt re-login beats waiting for the keep-alive
//    time-out;
//  * on_dns_file_change: the DNS file (resolv.conf) was written, renamed over or deleted (inotify on its
//    directory), so a tunnel can put its own back.
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "platform/linux/netlink.hpp"
#include "platform/network_watch.hpp"
#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform {

class RouteWatch final : public NetworkWatch {
  public:
    RouteWatch(asio::io_context& io, int tunnel_ifindex, NetworkWatchCallbacks callbacks, Logger log = {});
    ~RouteWatch() override;
    RouteWatch(const RouteWatch&) = delete;
    RouteWatch& operator=(const RouteWatch&) = delete;

    Status start();

  private:
    static int on_message(nl_msg* message, void* self);
    void wait();
    Status watch_dns_file();
    void wait_dns_file();
    void debounce();

    asio::io_context& io_;
    int tunnel_ifindex_;
    NetworkWatchCallbacks callbacks_;
    Logger log_;
    nl::NlSocket socket_;
    std::optional<asio::posix::stream_descriptor> stream_;
    asio::steady_timer debounce_;
    bool removal_seen_ = false;
    bool uplink_change_seen_ = false;
    bool dns_file_change_seen_ = false;
    std::optional<asio::posix::stream_descriptor> inotify_;  // owns the inotify fd
    std::string dns_file_name_;                              // the watched file's name in its directory
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The NetworkWatchFactory of Linux: a started RouteWatch.
Result<std::unique_ptr<NetworkWatch>> watch_routes(asio::io_context& io, int tunnel_ifindex,
                                                   NetworkWatchCallbacks callbacks, Logger logger);

}  // namespace vpnse::platform
