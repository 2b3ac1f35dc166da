#pragma once
// ARP for IPv4 over Ethernet (RFC 826): parse and build the 28-byte packet.
#include <cstdint>
#include <optional>

#include "core/bytes.hpp"
#include "ether/addresses.hpp"

namespace vpnse::ether {

inline constexpr std::size_t kArpPacketSize = 28;
inline constexpr std::uint16_t kArpRequest = 1;
inline constexpr std::uint16_t kArpReply = 2;

struct ArpPacket {
    std::uint16_t operation = 0;
    MacAddress sender_mac;
    Ipv4Address sender_ip;
    MacAddress target_mac;
    Ipv4Address target_ip;

    // A probe (RFC 5227 2.1.1) has sender IP 0; an announcement has sender IP == target IP.
    bool is_probe() const { return sender_ip.is_zero(); }
    // The hub's 5-second liveness poll: unicast request from 00:ae:… with sender 172.31.x.y
    // (softether-protocol.md 13, HubWatchDogThread). Answer it; never a conflict.
    bool is_hub_poll() const {
        return sender_mac.is_hub_mac() && (sender_ip.value >> 16) == ((172u << 8) | 31u);
    }
};

// nullopt unless hardware type 1 (Ethernet), protocol 0x0800, lengths 6/4, opcode 1 or 2.
// Bytes past 28 (Ethernet padding) are ignored.
std::optional<ArpPacket> parse_arp(ByteSpan payload);
// Writes the 28-byte packet at `out`.
void write_arp(std::uint8_t* out, const ArpPacket& packet);

}  // namespace vpnse::ether
