#include "ether/arp.hpp"

#include <cstring>

namespace vpnse::ether {

std::optional<ArpPacket> parse_arp(ByteSpan payload) {
    if (payload.size() < kArpPacketSize)
        return std::nullopt;
    const std::uint8_t* p = payload.data();
    if (load_be16(p) != 1 || load_be16(p + 2) != 0x0800 || p[4] != 6 || p[5] != 4)
        return std::nullopt;
    ArpPacket packet;
    packet.operation = load_be16(p + 6);
    if (packet.operation != kArpRequest && packet.operation != kArpReply)
        return std::nullopt;
    std::memcpy(packet.sender_mac.bytes.data(), p + 8, 6);
    packet.sender_ip = Ipv4Address{load_be32(p + 14)};
    std::memcpy(packet.target_mac.bytes.data(), p + 18, 6);
    packet.target_ip = Ipv4Address{load_be32(p + 24)};
    return packet;
}

void write_arp(std::uint8_t* out, const ArpPacket& packet) {
    store_be16(out, 1);
    store_be16(out + 2, 0x0800);
    out[4] = 6;
    out[5] = 4;
    store_be16(out + 6, packet.operation);
    std::memcpy(out + 8, packet.sender_mac.bytes.data(), 6);
    store_be32(out + 14, packet.sender_ip.value);
    std::memcpy(out + 18, packet.target_mac.bytes.data(), 6);
    store_be32(out + 24, packet.target_ip.value);
}

}  // namespace vpnse::ether
