#pragma once
// The result of address configuration, handed to the host as one value (it installs address, routes,
// DNS and MTU on the TUN device).
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "ether/addresses.hpp"

namespace vpnse::ether {

struct Route4 {
    Ipv4Address destination;
    std::uint8_t prefix_length = 0;
    Ipv4Address gateway;  // 0.0.0.0: on-link

    friend bool operator==(const Route4&, const Route4&) = default;
};

enum class ConfigSource : std::uint8_t { none, dhcp, static_config };

struct NetworkConfig {
    // IPv4. Zero address: not configured.
    ConfigSource source = ConfigSource::none;
    Ipv4Address address;
    std::uint8_t prefix_length = 0;
    // Default gateway. With DHCP this follows RFC 3442: when option 121/249 is present, option 3 is
    // ignored and the gateway is the 0.0.0.0/0 entry of the classless routes, if any
    // (softether-protocol-advanced.md 4.1 "RFC 3442 conflict"). The option 3 value stays in `router`.
    Ipv4Address gateway;
    Ipv4Address router;  // option 3 as received (informational)
    std::vector<Ipv4Address> dns;
    std::string domain;
    std::vector<std::string> search_domains;
    std::vector<Route4> routes;  // classless static routes, excluding 0.0.0.0/0 (that is `gateway`)
    std::uint16_t mtu = 0;       // option 26 if sent, else EndpointOptions::default_mtu
    Ipv4Address dhcp_server;
    std::chrono::seconds lease_time{0};      // 0 for static; 0xffffffff s for infinite
    std::chrono::seconds renewal_time{0};    // T1: option 58 or 50% (SecureNAT never sends 58/59)
    std::chrono::seconds rebinding_time{0};  // T2: option 59 or 87.5%

    // IPv6 (softether-protocol-advanced.md 5). Zero addresses: absent.
    Ipv6Address ipv6_link_local;
    Ipv6Address ipv6_address;  // SLAAC global address
    Ipv6Address ipv6_prefix;
    std::uint8_t ipv6_prefix_length = 0;
    Ipv6Address ipv6_router;            // link-local address of the default router
    std::vector<Ipv6Address> ipv6_dns;  // RDNSS (RFC 8106)
    std::uint32_t ipv6_mtu = 0;         // RA MTU option, 0 when absent

    bool has_ipv4() const { return !address.is_zero(); }
    friend bool operator==(const NetworkConfig&, const NetworkConfig&) = default;
};

}  // namespace vpnse::ether
