#pragma once
// The IP value types every platform interface takes (vpnse/ip.hpp), the server endpoint, and prefix
// arithmetic. No OS headers, so macOS/Windows implementations and the daemon service use them unchanged.
#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vpnse/ip.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform {

// The value types live in libvpnse (vpnse/ip.hpp); platform code names them as its own.
using vpnse::Cidr;
using vpnse::IpAddress;
using vpnse::IpFamily;

struct ServerEndpoint {
    IpAddress address;
    std::uint16_t port = 0;
    friend bool operator==(const ServerEndpoint&, const ServerEndpoint&) = default;
};

// Smallest sorted set of network prefixes covering exactly the addresses of `include` that are in
// no `exclude` prefix. Families never mix: a v4 exclude never cuts a v6 include.
std::vector<Cidr> subtract_cidrs(const std::vector<Cidr>& include, const std::vector<Cidr>& exclude);

}  // namespace vpnse::platform
