#pragma once
// Ethernet II framing and the IPv4/UDP headers the endpoint builds and checks.
// Frames carry no FCS; 14..1514 bytes from us, up to 1600 accepted by the hub (softether-protocol.md 13).
#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/bytes.hpp"
#include "ether/addresses.hpp"

namespace vpnse::ether {

inline constexpr std::size_t kEthernetHeaderSize = 14;
inline constexpr std::size_t kMaxFrameSize = 1514;  // what we send (softether-protocol.md 13)
inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeArp = 0x0806;
inline constexpr std::uint16_t kEtherTypeIpv6 = 0x86dd;
inline constexpr std::uint16_t kEtherTypeVlan = 0x8100;

struct EthernetHeader {
    MacAddress destination;
    MacAddress source;
    std::uint16_t ether_type = 0;
};

// Parses the 14-byte header; nullopt when the frame is shorter. The payload starts at byte 14.
std::optional<EthernetHeader> parse_ethernet(ByteSpan frame);
// Writes 14 header bytes at `out` (which must have room).
void write_ethernet(std::uint8_t* out, const MacAddress& destination, const MacAddress& source,
                    std::uint16_t ether_type);

inline constexpr std::uint8_t kIpProtoIcmp = 1;
inline constexpr std::uint8_t kIpProtoUdp = 17;
inline constexpr std::uint8_t kIpProtoIcmpv6 = 58;

struct Ipv4Header {
    std::uint8_t header_length = 0;  // bytes
    std::uint16_t total_length = 0;
    std::uint16_t fragment = 0;  // flags + offset field as on the wire
    std::uint8_t ttl = 0;
    std::uint8_t protocol = 0;
    Ipv4Address source;
    Ipv4Address destination;

    bool is_fragment() const { return (fragment & 0x3fff) != 0; }  // MF set or offset non-zero
};

enum class Ipv4ParseError { truncated, bad_version, bad_header_length, bad_total_length, bad_checksum };

// Checks version, header length, total length against the buffer (trailing Ethernet padding is
// allowed) and, when `verify_checksum`, the header checksum. `packet` may be longer than total_length.
std::optional<Ipv4Header> parse_ipv4(ByteSpan packet, Ipv4ParseError& error, bool verify_checksum = true);

// Appends a 20-byte IPv4 header followed by a UDP header and `payload`, checksums filled in.
void append_ipv4_udp(Bytes& out, Ipv4Address source, Ipv4Address destination, std::uint16_t source_port,
                     std::uint16_t destination_port, ByteSpan payload, std::uint8_t ttl = 64,
                     std::uint16_t identification = 0);

}  // namespace vpnse::ether
