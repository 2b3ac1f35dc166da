#pragma once
// Shared helpers for the ether unit tests: a recording host, frame builders and a tiny fake
// SecureNAT that answers DHCP and ARP as softether-protocol-advanced.md 4.1/4.2 describes.
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/checksum.hpp"
#include "ether/arp.hpp"
#include "ether/dhcp.hpp"
#include "ether/ethernet.hpp"
#include "ether/ipv6_nd.hpp"
#include "ether/virtual_ethernet.hpp"

namespace ether_test {

using namespace vpnse;
using namespace vpnse::ether;

inline Bytes hex(std::string_view text) {
    std::string clean;
    for (char c : text)
        if (c != ' ' && c != '\n')
            clean += c;
    Bytes out;
    from_hex(clean, out);
    return out;
}

inline MacAddress mac(const char* text) {
    return *MacAddress::parse(text);
}
inline Ipv4Address ip4(const char* text) {
    return *Ipv4Address::parse(text);
}
inline Ipv6Address ip6(const char* text) {
    return *Ipv6Address::parse(text);
}

struct RecordingHost : EndpointHost {
    std::vector<Bytes> frames;
    std::vector<Bytes> packets;
    std::vector<const std::uint8_t*> frame_data;   // where send_frame's span pointed
    std::vector<const std::uint8_t*> packet_data;  // where deliver_packet's span pointed
    std::vector<NetworkConfig> configs;
    int leases_lost = 0;
    void send_frame(ByteSpan frame) override {
        frames.emplace_back(frame.begin(), frame.end());
        frame_data.push_back(frame.data());
    }
    void deliver_packet(ByteSpan packet) override {
        packets.emplace_back(packet.begin(), packet.end());
        packet_data.push_back(packet.data());
    }
    void on_config_changed(const NetworkConfig& config) override { configs.push_back(config); }
    void on_lease_lost() override { ++leases_lost; }
};

inline Bytes frame(const MacAddress& destination, const MacAddress& source, std::uint16_t type,
                   ByteSpan payload) {
    Bytes out(kEthernetHeaderSize);
    write_ethernet(out.data(), destination, source, type);
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

inline Bytes arp_frame(const MacAddress& destination, const ArpPacket& packet) {
    std::uint8_t body[kArpPacketSize];
    write_arp(body, packet);
    return frame(destination, packet.sender_mac, kEtherTypeArp, body);
}

// A minimal IPv4 ICMP echo request.
inline Bytes icmp_echo(Ipv4Address source, Ipv4Address destination, std::uint16_t sequence = 1) {
    Bytes icmp = {8, 0, 0, 0, 0x12, 0x34, 0, 0, 'p', 'i', 'n', 'g'};
    store_be16(icmp.data() + 6, sequence);
    store_be16(icmp.data() + 2, internet_checksum(icmp));
    Bytes packet(20);
    packet[0] = 0x45;
    store_be16(packet.data() + 2, static_cast<std::uint16_t>(20 + icmp.size()));
    packet[8] = 64;
    packet[9] = kIpProtoIcmp;
    store_be32(packet.data() + 12, source.value);
    store_be32(packet.data() + 16, destination.value);
    store_be16(packet.data() + 10, internet_checksum(packet));
    packet.insert(packet.end(), icmp.begin(), icmp.end());
    return packet;
}

inline Bytes ipv6_packet(const Ipv6Address& source, const Ipv6Address& destination, std::uint8_t next_header,
                         ByteSpan payload, std::uint8_t hop_limit = 255) {
    Bytes out;
    append_ipv6(out, source, destination, next_header, payload, hop_limit);
    return out;
}

// SecureNAT's option writer: the first 255 bytes under the real code, the rest under code 250
// (advanced doc 4.1).
inline void securenat_option(Bytes& out, std::uint8_t code, ByteSpan data) {
    std::size_t offset = 0;
    bool first = true;
    do {
        const std::size_t chunk = std::min<std::size_t>(255, data.size() - offset);
        out.push_back(first ? code : dhcp_option::securenat_continuation);
        out.push_back(static_cast<std::uint8_t>(chunk));
        out.insert(out.end(), data.begin() + static_cast<std::ptrdiff_t>(offset),
                   data.begin() + static_cast<std::ptrdiff_t>(offset + chunk));
        offset += chunk;
        first = false;
    } while (offset < data.size());
}

struct FakeSecureNat {
    MacAddress mac = mac_of("5e:70:86:1a:da:5c");
    Ipv4Address address = Ipv4Address::from_octets(192, 168, 30, 1);
    Ipv4Address next_free = Ipv4Address::from_octets(192, 168, 30, 10);
    std::uint32_t lease_seconds = 7200;
    std::vector<Route4> push_routes;
    bool nak_requests = false;
    int discovers = 0, requests = 0, arp_answers = 0;
    std::vector<Bytes> other_frames;  // what it did not handle (e.g. the ICMP echo)

    static MacAddress mac_of(const char* text) { return *MacAddress::parse(text); }

    // DHCP body in SecureNAT's layout (advanced doc 4.1/4.2).
    Bytes reply(const DhcpMessage& request, DhcpMessageType type, Ipv4Address yiaddr) const {
        Bytes out(kDhcpFixedSize, 0);
        out[0] = 2;
        out[1] = 1;
        out[2] = 6;
        store_be32(out.data() + 4, request.xid);
        store_be32(out.data() + 16, yiaddr.value);
        store_be32(out.data() + 20, address.value);
        std::memcpy(out.data() + 28, request.chaddr.bytes.data(), 6);
        ByteWriter w(out);
        w.u32(kDhcpMagicCookie);
        const std::uint8_t t = static_cast<std::uint8_t>(type);
        securenat_option(out, 53, {&t, 1});
        std::uint8_t ip[4];
        store_be32(ip, address.value);
        securenat_option(out, 54, ip);
        if (type == DhcpMessageType::nak) {
            const std::uint8_t mask[4] = {255, 255, 255, 0};
            securenat_option(out, 1, mask);
        } else {
            std::uint8_t lease[4];
            store_be32(lease, lease_seconds);
            securenat_option(out, 51, lease);
            const std::uint8_t mask[4] = {255, 255, 255, 0};
            securenat_option(out, 1, mask);
            securenat_option(out, 3, ip);
            securenat_option(out, 6, ip);
            if (!push_routes.empty()) {
                const Bytes routes = encode_classless_routes(push_routes);
                securenat_option(out, 121, routes);
                securenat_option(out, 249, routes);
            }
        }
        out.push_back(255);
        if (out.size() < 300)
            out.resize(300, 0);
        return out;
    }

    // Feeds one frame from the client; returns the frames SecureNAT sends back.
    std::vector<Bytes> on_frame(ByteSpan raw) {
        std::vector<Bytes> out;
        const auto eth = parse_ethernet(raw);
        const ByteSpan payload = raw.subspan(kEthernetHeaderSize);
        if (eth->ether_type == kEtherTypeArp) {
            const auto arp = parse_arp(payload);
            if (arp && arp->operation == kArpRequest && arp->target_ip == address) {
                ++arp_answers;
                out.push_back(
                    arp_frame(arp->sender_mac, {kArpReply, mac, address, arp->sender_mac, arp->sender_ip}));
            }
            return out;
        }
        if (eth->ether_type != kEtherTypeIpv4) {
            other_frames.emplace_back(raw.begin(), raw.end());
            return out;
        }
        Ipv4ParseError error{};
        const auto ip = parse_ipv4(payload, error);
        if (!ip || ip->protocol != kIpProtoUdp || load_be16(payload.data() + ip->header_length + 2) != 67) {
            other_frames.emplace_back(raw.begin(), raw.end());
            return out;
        }
        DhcpParseError dhcp_error{};
        const auto request = parse_dhcp(payload.subspan(ip->header_length + 8u), dhcp_error);
        const auto info = decode_lease_info(*request, dhcp_error);
        Bytes body;
        if (info->type == DhcpMessageType::discover) {
            ++discovers;
            body = reply(*request, DhcpMessageType::offer, next_free);
        } else if (info->type == DhcpMessageType::request) {
            ++requests;
            body = nak_requests ? reply(*request, DhcpMessageType::nak, {})
                                : reply(*request, DhcpMessageType::ack, next_free);
        } else {
            return out;
        }
        // To the request's source IP, or broadcast when that was 0.0.0.0 (advanced doc 4.2).
        const bool broadcast = ip->source.is_zero();
        Bytes packet;
        append_ipv4_udp(packet, address, broadcast ? Ipv4Address::limited_broadcast() : ip->source, 67, 68,
                        body, 128);
        out.push_back(frame(broadcast ? MacAddress::broadcast() : eth->source, mac, kEtherTypeIpv4, packet));
        return out;
    }
};

// The DHCP message inside a frame the endpoint sent, or nullopt.
inline std::optional<DhcpMessage> dhcp_of(const Bytes& raw, Ipv4Header* ip_out = nullptr) {
    const auto eth = parse_ethernet(raw);
    if (!eth || eth->ether_type != kEtherTypeIpv4)
        return std::nullopt;
    const ByteSpan payload = ByteSpan(raw).subspan(kEthernetHeaderSize);
    Ipv4ParseError error{};
    const auto ip = parse_ipv4(payload, error);
    if (!ip || ip->protocol != kIpProtoUdp || load_be16(payload.data() + ip->header_length + 2) != 67)
        return std::nullopt;
    if (ip_out)
        *ip_out = *ip;
    DhcpParseError dhcp_error{};
    return parse_dhcp(payload.subspan(ip->header_length + 8u), dhcp_error);
}

inline DhcpMessageType dhcp_type(const DhcpMessage& message) {
    return static_cast<DhcpMessageType>(message.find(dhcp_option::message_type)->data.at(0));
}

// Shuttles frames between the endpoint and the fake until both are quiet.
inline void pump(VirtualEthernet& endpoint, RecordingHost& host, FakeSecureNat& nat, TimePoint now,
                 std::size_t& cursor) {
    while (cursor < host.frames.size()) {
        const Bytes sent = host.frames[cursor++];
        for (const auto& reply : nat.on_frame(sent))
            endpoint.handle_frame(reply, now);
    }
}

}  // namespace ether_test
