#pragma once
// Watches rtnetlink for deleted routes, rules and addresses in this network namespace and calls back
// (debounced) so a tunnel can put back what someone else removed (NetworkManager, networkd on resume).
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "platform/linux/netlink.hpp"
#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform {

class RouteWatch {
  public:
    RouteWatch(asio::io_context& io, std::function<void()> on_removal, Logger log = {});
    ~RouteWatch();
    RouteWatch(const RouteWatch&) = delete;
    RouteWatch& operator=(const RouteWatch&) = delete;

    Status start();

  private:
    static int on_message(nl_msg* message, void* self);
    void wait();

    asio::io_context& io_;
    std::function<void()> on_removal_;
    Logger log_;
    nl::NlSocket socket_;
    std::optional<asio::posix::stream_descriptor> stream_;
    asio::steady_timer debounce_;
    bool removal_seen_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vpnse::platform
