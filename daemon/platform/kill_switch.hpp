#pragma once
// Opt-in, fail-closed kill switch: while engaged, the host can only talk through the tunnel
// interface, over loopback, to the VPN server's ip:port and to the allowed prefixes. It is
// deliberately left in place when the daemon dies, so a crash never leaks traffic.
#include <string>
#include <vector>

#include "platform/ip.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform {

struct KillSwitchSettings {
    std::string tunnel_id;  // [A-Za-z0-9_-]; names the firewall table
    std::string ifname;
    ServerEndpoint server;
    // Extra destinations left reachable outside the tunnel (e.g. the excluded LAN).
    std::vector<Cidr> allow;
};

struct KillSwitchRecord {
    std::string table;  // e.g. "inet vpnse_office"
    friend bool operator==(const KillSwitchRecord&, const KillSwitchRecord&) = default;
};

class KillSwitch {
  public:
    virtual ~KillSwitch() = default;
    virtual KillSwitchRecord describe(const KillSwitchSettings& settings) const = 0;
    // Atomically installs (or replaces) the blocking ruleset.
    virtual Status engage(const KillSwitchSettings& settings) = 0;
    // Removes the ruleset; a no-op when none is installed.
    virtual Status release(const KillSwitchRecord& record) = 0;
};

}  // namespace vpnse::platform
