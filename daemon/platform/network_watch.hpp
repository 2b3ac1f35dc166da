#pragma once
// Tells a tunnel when the host's network changed under it (Linux: rtnetlink, platform/linux/route_watch):
//  * on_removal: something removed a route, rule or address, so the tunnel puts back what is its own;
//  * on_uplink_change: an uplink address or link went away, or the main table's default route changed
//    (a new gateway), so the session's connections are probably dead (or on a path that is gone) and
//    logging in again at once beats waiting for the keep-alive time-out;
//  * on_dns_file_change: another program wrote `dns_file` (resolv.conf), so the tunnel puts its own back.
// Watching stops when the object goes; the owner may destroy it from inside either callback.
#include <asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform {

class NetworkWatch {
  public:
    virtual ~NetworkWatch() = default;
};

struct NetworkWatchCallbacks {
    std::function<void()> on_removal;
    std::function<void()> on_uplink_change;
    std::string dns_file;  // empty: no file to watch
    std::function<void()> on_dns_file_change;
};

// Starts watching on behalf of the tunnel on `tunnel_ifindex` (whose own changes are no uplink change).
using NetworkWatchFactory = std::function<Result<std::unique_ptr<NetworkWatch>>(
    asio::io_context& io, int tunnel_ifindex, NetworkWatchCallbacks callbacks, Logger logger)>;

}  // namespace vpnse::platform
