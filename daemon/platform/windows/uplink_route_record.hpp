#pragma once
// The uplink routes a Windows tunnel added (the server's host route and the excluded prefixes on the
// physical interface), recorded in the state directory while the tunnel is up. Wintun's adapter, and
// every route and address on it, goes with the process; these routes do not. After a crash the next
// start deletes exactly the recorded rows: a stale host route to an old gateway would otherwise cut the
// server off once the machine moves to another network. Text, one route per line:
//   <interface LUID> <destination prefix> <next hop>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vpnse/ip.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform::windows {

struct UplinkRoute {
    std::uint64_t interface_luid = 0;
    Cidr destination;
    IpAddress next_hop;
    friend bool operator==(const UplinkRoute&, const UplinkRoute&) = default;
};

inline constexpr std::string_view kUplinkRecordSuffix = ".uplink-routes";
// More than any plan has (the server and the excluded prefixes): a bigger file is not ours.
inline constexpr std::size_t kUplinkRecordMaxRoutes = 4096;

std::string uplink_record_text(const std::vector<UplinkRoute>& routes);
// invalid_argument naming the line and what is wrong in it.
Result<std::vector<UplinkRoute>> parse_uplink_record(std::string_view text);

}  // namespace vpnse::platform::windows
