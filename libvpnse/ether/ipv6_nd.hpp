#pragma once
// IPv6 header and ICMPv6 Neighbor Discovery (RFC 4861), RDNSS (RFC 8106). Validation follows
// RFC 4861 6.1 / 7.1: hop limit 255, code 0, correct checksum, no zero-length options.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/bytes.hpp"
#include "ether/addresses.hpp"

namespace vpnse::ether {

inline constexpr std::size_t kIpv6HeaderSize = 40;

struct Ipv6Header {
    std::uint16_t payload_length = 0;
    std::uint8_t next_header = 0;
    std::uint8_t hop_limit = 0;
    Ipv6Address source;
    Ipv6Address destination;
};

// nullopt unless version 6 and 40 + payload_length fits in `packet` (trailing padding allowed).
std::optional<Ipv6Header> parse_ipv6(ByteSpan packet);

// Checksum of an upper-layer message over the IPv6 pseudo-header (RFC 8200 8.1); the message's own
// checksum field must be zero when building, and the result is 0 when verifying a correct one.
std::uint16_t ipv6_upper_checksum(const Ipv6Address& source, const Ipv6Address& destination,
                                  std::uint8_t next_header, ByteSpan message);

enum class NdType : std::uint8_t {
    router_solicitation = 133,
    router_advertisement = 134,
    neighbor_solicitation = 135,
    neighbor_advertisement = 136,
    redirect = 137,
};

enum class NdParseError : std::uint8_t {
    truncated,
    not_nd,  // another ICMPv6 type (echo etc.)
    bad_checksum,
    bad_hop_limit,  // not 255: came through a router
    bad_code,
    bad_option,  // zero length or running past the end
    bad_target,  // multicast target in NS/NA
};
const char* to_string(NdParseError error);

struct NdPrefixInfo {
    Ipv6Address prefix;
    std::uint8_t prefix_length = 0;
    bool on_link = false;
    bool autonomous = false;
    std::uint32_t valid_lifetime = 0;
    std::uint32_t preferred_lifetime = 0;
};

struct NdMessage {
    NdType type = NdType::neighbor_solicitation;
    Ipv6Address target;                                                       // NS, NA
    bool router_flag = false, solicited_flag = false, override_flag = false;  // NA
    std::optional<MacAddress> source_link_address;                            // option 1
    std::optional<MacAddress> target_link_address;                            // option 2
    // RA
    std::uint8_t current_hop_limit = 0;
    bool managed = false, other_config = false;
    std::uint16_t router_lifetime = 0;     // seconds
    std::optional<std::uint32_t> mtu;      // option 5
    std::vector<NdPrefixInfo> prefixes;    // option 3
    std::vector<Ipv6Address> dns_servers;  // option 25
    std::uint32_t dns_lifetime = 0;
};

// `icmp` is the ICMPv6 message (the IPv6 payload); `ip` gives addresses and hop limit.
std::optional<NdMessage> parse_nd(const Ipv6Header& ip, ByteSpan icmp, NdParseError& error);

// ICMPv6 bodies with the checksum computed for (source, destination).
Bytes build_neighbor_solicitation(const Ipv6Address& source, const Ipv6Address& destination,
                                  const Ipv6Address& target, const std::optional<MacAddress>& source_link);
Bytes build_neighbor_advertisement(const Ipv6Address& source, const Ipv6Address& destination,
                                   const Ipv6Address& target, bool solicited, bool override_flag,
                                   const MacAddress& target_link);
Bytes build_router_solicitation(const Ipv6Address& source, const Ipv6Address& destination,
                                const std::optional<MacAddress>& source_link);
// Appends a 40-byte IPv6 header (hop limit 255, as ND requires) and `icmp`.
void append_ipv6(Bytes& out, const Ipv6Address& source, const Ipv6Address& destination,
                 std::uint8_t next_header, ByteSpan payload, std::uint8_t hop_limit = 255);

}  // namespace vpnse::ether
