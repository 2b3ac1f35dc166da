#include "ether/ethernet.hpp"

#include <cstring>

#include "core/checksum.hpp"

namespace vpnse::ether {

std::optional<EthernetHeader> parse_ethernet(ByteSpan frame) {
    if (frame.size() < kEthernetHeaderSize)
        return std::nullopt;
    EthernetHeader header;
    std::memcpy(header.destination.bytes.data(), frame.data(), 6);
    std::memcpy(header.source.bytes.data(), frame.data() + 6, 6);
    header.ether_type = load_be16(frame.data() + 12);
    return header;
}

void write_ethernet(std::uint8_t* out, const MacAddress& destination, const MacAddress& source,
                    std::uint16_t ether_type) {
    std::memcpy(out, destination.bytes.data(), 6);
    std::memcpy(out + 6, source.bytes.data(), 6);
    store_be16(out + 12, ether_type);
}

std::optional<Ipv4Header> parse_ipv4(ByteSpan packet, Ipv4ParseError& error, bool verify_checksum) {
    if (packet.size() < 20) {
        error = Ipv4ParseError::truncated;
        return std::nullopt;
    }
    if ((packet[0] >> 4) != 4) {
        error = Ipv4ParseError::bad_version;
        return std::nullopt;
    }
    Ipv4Header header;
    header.header_length = static_cast<std::uint8_t>((packet[0] & 0x0f) * 4);
    if (header.header_length < 20 || header.header_length > packet.size()) {
        error = Ipv4ParseError::bad_header_length;
        return std::nullopt;
    }
    header.total_length = load_be16(packet.data() + 2);
    if (header.total_length < header.header_length || header.total_length > packet.size()) {
        error = Ipv4ParseError::bad_total_length;
        return std::nullopt;
    }
    if (verify_checksum && internet_checksum(packet.first(header.header_length)) != 0) {
        error = Ipv4ParseError::bad_checksum;
        return std::nullopt;
    }
    header.fragment = load_be16(packet.data() + 6);
    header.ttl = packet[8];
    header.protocol = packet[9];
    header.source = Ipv4Address{load_be32(packet.data() + 12)};
    header.destination = Ipv4Address{load_be32(packet.data() + 16)};
    return header;
}

void append_ipv4_udp(Bytes& out, Ipv4Address source, Ipv4Address destination, std::uint16_t source_port,
                     std::uint16_t destination_port, ByteSpan payload, std::uint8_t ttl,
                     std::uint16_t identification) {
    const std::size_t start = out.size();
    const std::size_t udp_length = 8 + payload.size();
    out.resize(start + 20 + udp_length);
    std::uint8_t* ip = out.data() + start;
    ip[0] = 0x45;
    ip[1] = 0;
    store_be16(ip + 2, static_cast<std::uint16_t>(20 + udp_length));
    store_be16(ip + 4, identification);
    store_be16(ip + 6, 0);
    ip[8] = ttl;
    ip[9] = kIpProtoUdp;
    store_be16(ip + 10, 0);
    store_be32(ip + 12, source.value);
    store_be32(ip + 16, destination.value);
    store_be16(ip + 10, internet_checksum({ip, 20}));

    std::uint8_t* udp = ip + 20;
    store_be16(udp, source_port);
    store_be16(udp + 2, destination_port);
    store_be16(udp + 4, static_cast<std::uint16_t>(udp_length));
    store_be16(udp + 6, 0);
    if (!payload.empty())
        std::memcpy(udp + 8, payload.data(), payload.size());
    const CsumPartial pseudo =
        csum_pseudo_header({ip + 12, 4}, {ip + 16, 4}, kIpProtoUdp, static_cast<std::uint32_t>(udp_length));
    const std::uint16_t checksum = csum_finish(csum_add({udp, udp_length}, pseudo));
    // 0 would mean "no checksum" (RFC 768).
    store_be16(udp + 6, checksum == 0 ? 0xffff : checksum);
}

}  // namespace vpnse::ether
