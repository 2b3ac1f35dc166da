#pragma once
// Watches rtnetlink in this network namespace and calls back (debounced):
//  * on_removal: a route, rule or address was deleted, so a tunnel can put back what someone else
//    removed (NetworkManager, networkd on resume);
//  * on_uplink_change: an IPv4 address or a link other than `tunnel_ifindex` went away, so the session's
//    TCP connections are probably dead and a prompt re-login beats waiting for the keep-alive time-out.
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "platform/linux/netlink.hpp"
#include "platform/network_watch.hpp"
#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform {

class RouteWatch final : public NetworkWatch {
  public:
    RouteWatch(asio::io_context& io, int tunnel_ifindex, std::function<void()> on_removal,
               std::function<void()> on_uplink_change, Logger log = {});
    ~RouteWatch() override;
    RouteWatch(const RouteWatch&) = delete;
    RouteWatch& operator=(const RouteWatch&) = delete;

    Status start();

  private:
    static int on_message(nl_msg* message, void* self);
    void wait();

    asio::io_context& io_;
    int tunnel_ifindex_;
    std::function<void()> on_removal_;
    std::function<void()> on_uplink_change_;
    Logger log_;
    nl::NlSocket socket_;
    std::optional<asio::posix::stream_descriptor> stream_;
    asio::steady_timer debounce_;
    bool removal_seen_ = false;
    bool uplink_change_seen_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The NetworkWatchFactory of Linux: a started RouteWatch.
Result<std::unique_ptr<NetworkWatch>> watch_routes(asio::io_context& io, int tunnel_ifindex,
                                                   NetworkWatchCallbacks callbacks, Logger logger);

}  // namespace vpnse::platform
