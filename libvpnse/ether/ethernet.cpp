#include "ether/ethernet.hpp"

#include <cstring>

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

std::uint32_t checksum_add(ByteSpan data, std::uint32_t sum) {
    std::size_t i = 0;
    for (; i + 1 < data.size(); i += 2) {
        sum += load_be16(data.data() + i);
        sum = (sum & 0xffff) + (sum >> 16);  // keep it from overflowing on long inputs
    }
    if (i < data.size())
        sum += std::uint32_t{data[i]} << 8;
    return sum;
}

std::uint16_t checksum_finish(std::uint32_t sum) {
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
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
    if (verify_checksum && checksum_finish(checksum_add(packet.first(header.header_length))) != 0) {
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
    store_be16(ip + 10, checksum_finish(checksum_add({ip, 20})));

    std::uint8_t* udp = ip + 20;
    store_be16(udp, source_port);
    store_be16(udp + 2, destination_port);
    store_be16(udp + 4, static_cast<std::uint16_t>(udp_length));
    store_be16(udp + 6, 0);
    if (!payload.empty())
        std::memcpy(udp + 8, payload.data(), payload.size());
    // Pseudo-header: source, destination, zero + protocol, UDP length (RFC 768).
    std::uint32_t sum = checksum_add({ip + 12, 8});
    sum += kIpProtoUdp;
    sum += static_cast<std::uint32_t>(udp_length);
    sum = checksum_add({udp, udp_length}, sum);
    std::uint16_t checksum = checksum_finish(sum);
    store_be16(udp + 6, checksum == 0 ? 0xffff : checksum);
}

}  // namespace vpnse::ether
