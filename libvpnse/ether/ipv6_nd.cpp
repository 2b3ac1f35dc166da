#include "ether/ipv6_nd.hpp"

#include <cstring>

#include "core/checksum.hpp"
#include "ether/ethernet.hpp"

namespace vpnse::ether {

namespace {

Ipv6Address read_ipv6(const std::uint8_t* p) {
    Ipv6Address address;
    std::memcpy(address.bytes.data(), p, 16);
    return address;
}

MacAddress read_mac(const std::uint8_t* p) {
    MacAddress mac;
    std::memcpy(mac.bytes.data(), p, 6);
    return mac;
}

void append_link_option(ByteWriter& writer, std::uint8_t type, const MacAddress& mac) {
    writer.u8(type);
    writer.u8(1);  // units of 8 octets
    writer.bytes(mac.bytes);
}

void fill_checksum(Bytes& icmp, const Ipv6Address& source, const Ipv6Address& destination) {
    store_be16(icmp.data() + 2, 0);
    store_be16(icmp.data() + 2, ipv6_upper_checksum(source, destination, kIpProtoIcmpv6, icmp));
}

}  // namespace

const char* to_string(NdParseError error) {
    switch (error) {
        case NdParseError::truncated:
            return "truncated";
        case NdParseError::not_nd:
            return "not_nd";
        case NdParseError::bad_checksum:
            return "bad_checksum";
        case NdParseError::bad_hop_limit:
            return "bad_hop_limit";
        case NdParseError::bad_code:
            return "bad_code";
        case NdParseError::bad_option:
            return "bad_option";
        case NdParseError::bad_target:
            return "bad_target";
    }
    return "unknown";
}

std::optional<Ipv6Header> parse_ipv6(ByteSpan packet) {
    if (packet.size() < kIpv6HeaderSize || (packet[0] >> 4) != 6)
        return std::nullopt;
    Ipv6Header header;
    header.payload_length = load_be16(packet.data() + 4);
    if (kIpv6HeaderSize + header.payload_length > packet.size())
        return std::nullopt;
    header.next_header = packet[6];
    header.hop_limit = packet[7];
    header.source = read_ipv6(packet.data() + 8);
    header.destination = read_ipv6(packet.data() + 24);
    return header;
}

std::uint16_t ipv6_upper_checksum(const Ipv6Address& source, const Ipv6Address& destination,
                                  std::uint8_t next_header, ByteSpan message) {
    return csum_finish(csum_add(message, csum_pseudo_header(source.bytes, destination.bytes, next_header,
                                                            static_cast<std::uint32_t>(message.size()))));
}

std::optional<NdMessage> parse_nd(const Ipv6Header& ip, ByteSpan icmp, NdParseError& error) {
    if (icmp.size() < 4) {
        error = NdParseError::truncated;
        return std::nullopt;
    }
    if (icmp[0] < 133 || icmp[0] > 137) {
        error = NdParseError::not_nd;
        return std::nullopt;
    }
    NdMessage message;
    message.type = static_cast<NdType>(icmp[0]);
    if (icmp[1] != 0) {
        error = NdParseError::bad_code;
        return std::nullopt;
    }
    if (ip.hop_limit != 255) {
        error = NdParseError::bad_hop_limit;
        return std::nullopt;
    }
    if (ipv6_upper_checksum(ip.source, ip.destination, kIpProtoIcmpv6, icmp) != 0) {
        error = NdParseError::bad_checksum;
        return std::nullopt;
    }
    std::size_t options_at = 0;
    switch (message.type) {
        case NdType::router_solicitation:
            options_at = 8;
            break;
        case NdType::router_advertisement:
            options_at = 16;
            break;
        case NdType::neighbor_solicitation:
        case NdType::neighbor_advertisement:
            options_at = 24;
            break;
        case NdType::redirect:
            options_at = 40;
            break;
    }
    if (icmp.size() < options_at) {
        error = NdParseError::truncated;
        return std::nullopt;
    }
    const std::uint8_t* p = icmp.data();
    if (message.type == NdType::router_advertisement) {
        message.current_hop_limit = p[4];
        message.managed = (p[5] & 0x80) != 0;
        message.other_config = (p[5] & 0x40) != 0;
        message.router_lifetime = load_be16(p + 6);
    } else if (message.type == NdType::neighbor_solicitation ||
               message.type == NdType::neighbor_advertisement) {
        message.target = read_ipv6(p + 8);
        if (message.target.is_multicast()) {
            error = NdParseError::bad_target;
            return std::nullopt;
        }
        if (message.type == NdType::neighbor_advertisement) {
            message.router_flag = (p[4] & 0x80) != 0;
            message.solicited_flag = (p[4] & 0x40) != 0;
            message.override_flag = (p[4] & 0x20) != 0;
        }
    }
    ByteReader reader(icmp.subspan(options_at));
    while (!reader.empty()) {
        std::uint8_t type = 0, units = 0;
        ByteSpan body;
        reader.read_u8(type);
        if (!reader.read_u8(units) || units == 0 || !reader.read_span(units * 8u - 2u, body)) {
            error = NdParseError::bad_option;
            return std::nullopt;
        }
        switch (type) {
            case 1:  // source link-layer address (RFC 4861 4.6.1); Ethernet needs 6 bytes
                if (body.size() >= 6)
                    message.source_link_address = read_mac(body.data());
                break;
            case 2:
                if (body.size() >= 6)
                    message.target_link_address = read_mac(body.data());
                break;
            case 3:  // prefix information, length must be 4 (RFC 4861 4.6.2)
                if (units == 4) {
                    NdPrefixInfo info;
                    info.prefix_length = body[0];
                    info.on_link = (body[1] & 0x80) != 0;
                    info.autonomous = (body[1] & 0x40) != 0;
                    info.valid_lifetime = load_be32(body.data() + 2);
                    info.preferred_lifetime = load_be32(body.data() + 6);
                    info.prefix = read_ipv6(body.data() + 14);
                    if (message.prefixes.size() < 16)
                        message.prefixes.push_back(info);
                }
                break;
            case 5:  // MTU
                if (units == 1)
                    message.mtu = load_be32(body.data() + 2);
                break;
            case 25:  // RDNSS (RFC 8106 5.1): length 3 + 2n
                if (units >= 3 && units % 2 == 1) {
                    message.dns_lifetime = load_be32(body.data() + 2);
                    for (std::size_t at = 6; at + 16 <= body.size() && message.dns_servers.size() < 8;
                         at += 16)
                        message.dns_servers.push_back(read_ipv6(body.data() + at));
                }
                break;
            default:
                break;  // unknown options are skipped (RFC 4861 4.6)
        }
    }
    return message;
}

Bytes build_neighbor_solicitation(const Ipv6Address& source, const Ipv6Address& destination,
                                  const Ipv6Address& target, const std::optional<MacAddress>& source_link) {
    Bytes icmp;
    ByteWriter writer(icmp);
    writer.u8(static_cast<std::uint8_t>(NdType::neighbor_solicitation));
    writer.u8(0);
    writer.u16(0);
    writer.u32(0);
    writer.bytes(target.bytes);
    if (source_link)  // never from the unspecified address (RFC 4861 4.3)
        append_link_option(writer, 1, *source_link);
    fill_checksum(icmp, source, destination);
    return icmp;
}

Bytes build_neighbor_advertisement(const Ipv6Address& source, const Ipv6Address& destination,
                                   const Ipv6Address& target, bool solicited, bool override_flag,
                                   const MacAddress& target_link) {
    Bytes icmp;
    ByteWriter writer(icmp);
    writer.u8(static_cast<std::uint8_t>(NdType::neighbor_advertisement));
    writer.u8(0);
    writer.u16(0);
    writer.u8(static_cast<std::uint8_t>((solicited ? 0x40 : 0) | (override_flag ? 0x20 : 0)));
    writer.u8(0);
    writer.u16(0);
    writer.bytes(target.bytes);
    append_link_option(writer, 2, target_link);
    fill_checksum(icmp, source, destination);
    return icmp;
}

Bytes build_router_solicitation(const Ipv6Address& source, const Ipv6Address& destination,
                                const std::optional<MacAddress>& source_link) {
    Bytes icmp;
    ByteWriter writer(icmp);
    writer.u8(static_cast<std::uint8_t>(NdType::router_solicitation));
    writer.u8(0);
    writer.u16(0);
    writer.u32(0);
    if (source_link)
        append_link_option(writer, 1, *source_link);
    fill_checksum(icmp, source, destination);
    return icmp;
}

void append_ipv6(Bytes& out, const Ipv6Address& source, const Ipv6Address& destination,
                 std::uint8_t next_header, ByteSpan payload, std::uint8_t hop_limit) {
    ByteWriter writer(out);
    writer.u32(0x60000000u);
    writer.u16(static_cast<std::uint16_t>(payload.size()));
    writer.u8(next_header);
    writer.u8(hop_limit);
    writer.bytes(source.bytes);
    writer.bytes(destination.bytes);
    writer.bytes(payload);
}

}  // namespace vpnse::ether
