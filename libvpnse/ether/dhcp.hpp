#pragma once
// DHCPv4 (RFC 2131/2132) message codec, with SecureNAT's quirks (softether-protocol-advanced.md 4):
// options longer than 255 bytes continue under code 250, no T1/T2, option 121 mirrored as 249.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "ether/addresses.hpp"
#include "ether/network_config.hpp"

namespace vpnse::ether {

inline constexpr std::uint16_t kDhcpServerPort = 67;
inline constexpr std::uint16_t kDhcpClientPort = 68;
inline constexpr std::uint32_t kDhcpMagicCookie = 0x63825363;
inline constexpr std::size_t kDhcpFixedSize = 236;  // BOOTP header up to the magic cookie

enum class DhcpMessageType : std::uint8_t {
    discover = 1,
    offer = 2,
    request = 3,
    decline = 4,
    ack = 5,
    nak = 6,
    release = 7,
    inform = 8,
};

namespace dhcp_option {
inline constexpr std::uint8_t pad = 0;
inline constexpr std::uint8_t subnet_mask = 1;
inline constexpr std::uint8_t router = 3;
inline constexpr std::uint8_t dns = 6;
inline constexpr std::uint8_t hostname = 12;
inline constexpr std::uint8_t domain_name = 15;
inline constexpr std::uint8_t interface_mtu = 26;
inline constexpr std::uint8_t requested_ip = 50;
inline constexpr std::uint8_t lease_time = 51;
inline constexpr std::uint8_t overload = 52;
inline constexpr std::uint8_t message_type = 53;
inline constexpr std::uint8_t server_id = 54;
inline constexpr std::uint8_t parameter_list = 55;
inline constexpr std::uint8_t max_message_size = 57;
inline constexpr std::uint8_t renewal_time = 58;
inline constexpr std::uint8_t rebinding_time = 59;
inline constexpr std::uint8_t client_id = 61;
inline constexpr std::uint8_t search_list = 119;
inline constexpr std::uint8_t classless_routes = 121;
inline constexpr std::uint8_t ms_classless_routes = 249;
inline constexpr std::uint8_t securenat_continuation = 250;  // advanced doc 4.1
inline constexpr std::uint8_t end = 255;
}  // namespace dhcp_option

enum class DhcpParseError : std::uint8_t {
    truncated,            // shorter than header + magic cookie
    bad_header,           // htype/hlen not Ethernet, or op not 1/2
    bad_magic,            // no DHCP magic cookie (plain BOOTP)
    option_truncated,     // an option's length runs past the end of its area
    orphan_continuation,  // code 250 with no option before it
    bad_option_value,     // a known option with an impossible length or value
    bad_search_list,      // option 119: bad label, pointer loop, forward pointer, name too long
    bad_routes,           // option 121/249: prefix > 32 or truncated entry
    missing_message_type,
};
const char* to_string(DhcpParseError error);

struct DhcpOption {
    std::uint8_t code = 0;
    Bytes data;  // concatenated across repeats (RFC 3396) and code-250 continuations
};

struct DhcpMessage {
    std::uint8_t op = 0;  // 1 request, 2 reply
    std::uint8_t hops = 0;
    std::uint32_t xid = 0;
    std::uint16_t secs = 0;
    std::uint16_t flags = 0;  // 0x8000: broadcast
    Ipv4Address ciaddr, yiaddr, siaddr, giaddr;
    MacAddress chaddr;
    std::vector<DhcpOption> options;  // in order of first appearance

    const DhcpOption* find(std::uint8_t code) const;
    void add(std::uint8_t code, ByteSpan data);
};

// Parses the BOOTP header and all options (option overload 52 honoured once, never recursively).
// `payload` is the UDP payload.
std::optional<DhcpMessage> parse_dhcp(ByteSpan payload, DhcpParseError& error);

// Writes the message with the magic cookie; options longer than 255 bytes are split by repeating the
// code (RFC 3396). No pad bytes between options (advanced doc 4.3); zero-filled to `min_size`.
Bytes serialize_dhcp(const DhcpMessage& message, std::size_t min_size = 300);

// The options a client acts on, decoded and validated.
struct DhcpLeaseInfo {
    DhcpMessageType type = DhcpMessageType::discover;
    Ipv4Address server_id;
    std::optional<std::uint32_t> lease_time, renewal_time, rebinding_time;
    std::optional<Ipv4Address> subnet_mask;
    std::vector<Ipv4Address> routers;
    std::vector<Ipv4Address> dns;
    std::string domain;
    std::vector<std::string> search_domains;
    std::optional<std::uint16_t> mtu;
    // Option 121, else 249 (SecureNAT sends identical copies); nullopt when neither was sent.
    std::optional<std::vector<Route4>> classless_routes;
};

std::optional<DhcpLeaseInfo> decode_lease_info(const DhcpMessage& message, DhcpParseError& error);

// RFC 3442 body: [prefix_len][ceil(prefix_len/8) octets][gateway 4]..., host bits cleared.
std::optional<std::vector<Route4>> parse_classless_routes(ByteSpan data);
Bytes encode_classless_routes(const std::vector<Route4>& routes);
// RFC 3397 / RFC 1035 4.1.4 names with compression pointers relative to the option start.
std::optional<std::vector<std::string>> parse_search_list(ByteSpan data);

}  // namespace vpnse::ether
