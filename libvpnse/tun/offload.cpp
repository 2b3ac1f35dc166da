#include "tun/offload.hpp"

#include <algorithm>
#include <cstring>

#include "core/bytes.hpp"
#include "core/checksum.hpp"

namespace vpnse::tun {

namespace {

constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kProtoIcmpV6 = 58;
constexpr std::uint8_t kTcpFin = 0x01;
constexpr std::uint8_t kTcpPsh = 0x08;
constexpr std::uint8_t kTcpAck = 0x10;
constexpr std::uint8_t kTcpCwr = 0x80;
constexpr std::size_t kTcpCsumOffset = 16;
constexpr std::size_t kUdpCsumOffset = 6;

// Header lengths in bytes: IPv4 IHL, TCP data offset.
std::size_t ihl(const std::uint8_t* ip) noexcept {
    return static_cast<std::size_t>(ip[0] & 0x0fu) * 4;
}
std::size_t data_offset(const std::uint8_t* tcp) noexcept {
    return static_cast<std::size_t>(tcp[12] >> 4) * 4;
}

// Where the addresses of the pseudo-header are: IPv4 bytes 12..19, IPv6 bytes 8..39.
std::span<const std::uint8_t> src_address(const std::uint8_t* ip, int version) noexcept {
    return version == 4 ? std::span<const std::uint8_t>{ip + 12, 4}
                        : std::span<const std::uint8_t>{ip + 8, 16};
}
std::span<const std::uint8_t> dst_address(const std::uint8_t* ip, int version) noexcept {
    return version == 4 ? std::span<const std::uint8_t>{ip + 16, 4}
                        : std::span<const std::uint8_t>{ip + 24, 16};
}

void set_ipv4_checksum(std::uint8_t* ip, std::size_t header_length) noexcept {
    ip[10] = ip[11] = 0;
    store_be16(ip + 10, internet_checksum({ip, header_length}));
}

}  // namespace

VirtioNetHdr VirtioNetHdr::decode(const std::uint8_t* in) noexcept {
    VirtioNetHdr h;
    h.flags = in[0];
    h.gso_type = in[1];
    h.hdr_len = load_le16(in + 2);
    h.gso_size = load_le16(in + 4);
    h.csum_start = load_le16(in + 6);
    h.csum_offset = load_le16(in + 8);
    return h;
}

void VirtioNetHdr::encode(std::uint8_t* out) const noexcept {
    out[0] = flags;
    out[1] = gso_type;
    store_le16(out + 2, hdr_len);
    store_le16(out + 4, gso_size);
    store_le16(out + 6, csum_start);
    store_le16(out + 8, csum_offset);
}

std::string_view to_string(OffloadError error) noexcept {
    switch (error) {
        case OffloadError::ok:
            return "ok";
        case OffloadError::empty_packet:
            return "empty packet";
        case OffloadError::unsupported_gso_type:
            return "unsupported GSO type";
        case OffloadError::ecn_unsupported:
            return "GSO with ECN not negotiated";
        case OffloadError::bad_ip_header:
            return "IP header does not fit the GSO type";
        case OffloadError::bad_length:
            return "IP length does not match the packet";
        case OffloadError::fragmented:
            return "IPv4 fragment in a GSO packet";
        case OffloadError::bad_l4_header:
            return "TCP/UDP header beyond the packet";
        case OffloadError::bad_hdr_len:
            return "vnet hdr_len beyond the packet";
        case OffloadError::bad_csum_offsets:
            return "checksum offsets out of range";
        case OffloadError::bad_gso_size:
            return "GSO size is zero";
        case OffloadError::buffer_too_small:
            return "segment larger than the buffer";
    }
    return "unknown";
}

// --- TUN -> us -----------------------------------------------------------------------------------

OffloadError segment_packet(const VirtioNetHdr& hdr, std::span<std::uint8_t> packet,
                            std::span<std::uint8_t> scratch, const PacketSink& sink) {
    const std::size_t size = packet.size();
    if (size == 0)
        return OffloadError::empty_packet;
    if (hdr.gso_type & kVnetGsoEcn)
        return OffloadError::ecn_unsupported;
    if (hdr.hdr_len > size)
        return OffloadError::bad_hdr_len;
    std::uint8_t* p = packet.data();

    if (hdr.gso_type == kVnetGsoNone) {
        if (hdr.flags & kVnetFlagNeedsCsum) {
            // CHECKSUM_PARTIAL: the field holds the pseudo-header sum; the checksum covers it and every
            // byte from csum_start to the end, as skb_checksum_help() computes it.
            const std::size_t start = hdr.csum_start;
            const std::size_t field = start + hdr.csum_offset;
            if (start >= size || field + 2 > size)
                return OffloadError::bad_csum_offsets;
            std::uint16_t check = csum_finish(csum_add(packet.subspan(start)));
            if (check == 0)
                check = 0xffff;  // 0 would mean "no checksum" to UDP
            store_be16(p + field, check);
        }
        sink(packet);
        return OffloadError::ok;
    }

    bool tcp = true;
    switch (hdr.gso_type) {
        case kVnetGsoTcpV4:
        case kVnetGsoTcpV6:
            break;
        case kVnetGsoUdpL4:
            tcp = false;
            break;
        default:
            return OffloadError::unsupported_gso_type;
    }
    const std::uint8_t protocol = tcp ? kProtoTcp : kProtoUdp;
    const int version = p[0] >> 4;
    std::size_t l4 = 0;
    if (version == 4) {
        if (hdr.gso_type == kVnetGsoTcpV6)
            return OffloadError::bad_ip_header;
        if (size < 20)
            return OffloadError::bad_length;
        l4 = ihl(p);
        if (l4 < 20 || l4 > size || p[9] != protocol)
            return OffloadError::bad_ip_header;
        if (load_be16(p + 2) != size)
            return OffloadError::bad_length;
        if (load_be16(p + 6) & 0x3fff)  // MF or a fragment offset
            return OffloadError::fragmented;
    } else if (version == 6) {
        if (hdr.gso_type == kVnetGsoTcpV4)
            return OffloadError::bad_ip_header;
        if (size < 40)
            return OffloadError::bad_length;
        l4 = 40;
        if (p[6] != protocol)  // extension headers are not supported in GSO packets
            return OffloadError::bad_ip_header;
        if (40 + std::size_t{load_be16(p + 4)} != size)
            return OffloadError::bad_length;
    } else {
        return OffloadError::bad_ip_header;
    }

    std::size_t l4_header = 8;
    if (tcp) {
        if (l4 + 20 > size)
            return OffloadError::bad_l4_header;
        l4_header = data_offset(p + l4);
        if (l4_header < 20)
            return OffloadError::bad_l4_header;
    }
    if (l4 + l4_header > size)
        return OffloadError::bad_l4_header;
    const std::size_t csum_offset = tcp ? kTcpCsumOffset : kUdpCsumOffset;
    // The kernel's hdr_len is not reliable (it can be the whole linear part); only csum_start is checked.
    if ((hdr.flags & kVnetFlagNeedsCsum) && (hdr.csum_start != l4 || hdr.csum_offset != csum_offset))
        return OffloadError::bad_csum_offsets;
    const std::size_t header = l4 + l4_header;
    const std::size_t payload = size - header;
    if (payload == 0)
        return OffloadError::bad_length;
    const std::size_t gso_size = hdr.gso_size;
    if (gso_size == 0)
        return OffloadError::bad_gso_size;
    if (header + std::min(gso_size, payload) > scratch.size())
        return OffloadError::buffer_too_small;

    const auto src = src_address(p, version);
    const auto dst = dst_address(p, version);
    const std::uint16_t ip_id = version == 4 ? load_be16(p + 4) : 0;
    const std::uint32_t seq = tcp ? load_be32(p + l4 + 4) : 0;
    const std::uint8_t tcp_flags = tcp ? p[l4 + 13] : 0;
    std::uint8_t* out = scratch.data();
    std::size_t index = 0;
    for (std::size_t offset = 0; offset < payload; offset += gso_size, ++index) {
        const std::size_t length = std::min(gso_size, payload - offset);
        const std::size_t total = header + length;
        const std::size_t l4_length = total - l4;
        std::memcpy(out, p, header);
        std::memcpy(out + header, p + header + offset, length);
        if (version == 4) {
            store_be16(out + 2, static_cast<std::uint16_t>(total));
            store_be16(out + 4, static_cast<std::uint16_t>(ip_id + index));
            set_ipv4_checksum(out, l4);
        } else {
            store_be16(out + 4, static_cast<std::uint16_t>(total - 40));
        }
        std::uint8_t* l4h = out + l4;
        if (tcp) {
            store_be32(l4h + 4, seq + static_cast<std::uint32_t>(offset));
            std::uint8_t flags = tcp_flags;
            if (offset + length < payload)
                flags &= static_cast<std::uint8_t>(~(kTcpFin | kTcpPsh));
            if (offset > 0)
                flags &= static_cast<std::uint8_t>(~kTcpCwr);
            l4h[13] = flags;
        } else {
            store_be16(l4h + 4, static_cast<std::uint16_t>(l4_length));
        }
        l4h[csum_offset] = l4h[csum_offset + 1] = 0;
        std::uint16_t check = csum_finish(csum_add(
            {l4h, l4_length}, csum_pseudo_header(src, dst, protocol, static_cast<std::uint32_t>(l4_length))));
        if (!tcp && check == 0)
            check = 0xffff;
        store_be16(l4h + csum_offset, check);
        sink(std::span<const std::uint8_t>(out, total));
    }
    return OffloadError::ok;
}

// --- us -> TUN -----------------------------------------------------------------------------------

TunWriteBatch::TunWriteBatch(Limits limits) : limits_(limits) {
    limits_.max_flows = std::max<std::size_t>(limits_.max_flows, 1);
}

void TunWriteBatch::add_output(std::uint32_t packet, std::uint32_t length) {
    outputs_.push_back(Output{packet, packet, 1, length});
}

TunWriteBatch::OpenFlow* TunWriteBatch::find_flow(const std::uint8_t* key, std::size_t key_len) noexcept {
    for (auto& flow : flows_) {
        if (flow.key_len == key_len && std::memcmp(flow.key, key, key_len) == 0)
            return &flow;
    }
    return nullptr;
}

void TunWriteBatch::close_flow(OpenFlow* flow) noexcept {
    flows_.erase(flows_.begin() + (flow - flows_.data()));
}

void TunWriteBatch::add(std::span<const std::uint8_t> packet) {
    const std::size_t size = packet.size();
    if (size == 0)
        return;  // nothing to write
    // Room for the vnet header in front, so a packet that passes through is written straight from here.
    const std::size_t at = arena_.size() + kVirtioNetHdrSize;
    arena_.insert(arena_.end(), kVirtioNetHdrSize, 0);
    arena_.insert(arena_.end(), packet.begin(), packet.end());
    const auto index = static_cast<std::uint32_t>(packets_.size());
    packets_.push_back(Packet{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(size), kNone});
    add_output(index, static_cast<std::uint32_t>(size));  // replaced below if the packet joins a run
    if (!coalesce_ || size < 20 || size > kMaxOffloadPacket)
        return;

    const std::uint8_t* p = arena_.data() + at;
    const int version = p[0] >> 4;
    std::size_t l4 = 0;
    std::size_t address_length = 0;
    bool tcp = false;
    bool plain = false;  // IPv4 unfragmented / IPv6 without extension headers, lengths consistent
    if (version == 4) {
        l4 = ihl(p);
        address_length = 8;
        tcp = p[9] == kProtoTcp;
        plain = l4 >= 20 && load_be16(p + 2) == size && (load_be16(p + 6) & 0x3fff) == 0;
    } else if (version == 6 && size >= 40) {
        l4 = 40;
        address_length = 32;
        // Anything but UDP/ICMPv6 may be TCP behind extension headers.
        tcp = p[6] != kProtoUdp && p[6] != kProtoIcmpV6;
        plain = p[6] == kProtoTcp && 40 + std::size_t{load_be16(p + 4)} == size;
    } else {
        return;
    }
    if (!tcp)
        return;  // UDP, ICMP, ...: no run to keep in order with
    std::size_t tcp_header = 0;
    if (plain && l4 + 20 <= size) {
        tcp_header = data_offset(p + l4);
        plain = tcp_header >= 20 && l4 + tcp_header <= size;
    } else {
        plain = false;
    }
    if (!plain) {
        // A TCP packet of unknown flow (fragment, extension headers, bad lengths): no run may
        // continue past it, or later segments would overtake it.
        flows_.clear();
        return;
    }

    std::uint8_t key[36];
    const std::size_t key_len = address_length + 4;
    std::memcpy(key, p + (version == 4 ? 12 : 8), address_length);
    std::memcpy(key + address_length, p + l4, 4);  // ports
    OpenFlow* flow = find_flow(key, key_len);

    const std::uint8_t flags = p[l4 + 13];
    const std::size_t header = l4 + tcp_header;
    const std::size_t payload = size - header;
    const bool candidate =
        (flags & ~kTcpPsh) == kTcpAck && payload > 0 &&
        (version == 6 || csum_fold(csum_add({p, l4})) == 0xffff) &&
        csum_fold(csum_add({p + l4, size - l4},
                           csum_pseudo_header(src_address(p, version), dst_address(p, version), kProtoTcp,
                                              static_cast<std::uint32_t>(size - l4)))) == 0xffff;
    if (!candidate) {
        // SYN/FIN/RST/URG/ECE/CWR, pure ACKs, bad checksums: on their own, and they end the flow's run.
        if (flow)
            close_flow(flow);
        return;
    }
    const std::uint32_t seq = load_be32(p + l4 + 4);
    if (flow) {
        if (try_merge(*flow, index, p, header, payload, seq)) {
            outputs_.pop_back();
            return;
        }
        close_flow(flow);
    }
    if (flags & kTcpPsh)
        return;  // nothing may follow a PSH in a super-packet
    if (flows_.size() >= limits_.max_flows)
        flows_.erase(flows_.begin());  // stop merging into the oldest run
    OpenFlow open{};
    open.output = static_cast<std::uint32_t>(outputs_.size() - 1);
    open.next_seq = seq + static_cast<std::uint32_t>(payload);
    open.gso_size = static_cast<std::uint16_t>(payload);
    open.l4_offset = static_cast<std::uint16_t>(l4);
    open.hdr_len = static_cast<std::uint16_t>(header);
    open.version = static_cast<std::uint8_t>(version);
    std::memcpy(open.key, key, key_len);
    open.key_len = static_cast<std::uint8_t>(key_len);
    flows_.push_back(open);
}

bool TunWriteBatch::try_merge(OpenFlow& flow, std::uint32_t packet_index, const std::uint8_t* p,
                              std::size_t hdr_len, std::size_t payload, std::uint32_t seq) {
    Output& out = outputs_[flow.output];
    const std::uint8_t* first = arena_.data() + packets_[out.first].offset;
    const std::size_t l4 = flow.l4_offset;
    if (seq != flow.next_seq || hdr_len != flow.hdr_len || payload > flow.gso_size ||
        out.length + payload > kMaxOffloadPacket) {
        return false;
    }
    if (flow.version == 4) {
        // Same version/IHL, TOS, flags/fragment, TTL, protocol and options; length, id and checksum
        // are rebuilt.
        if (p[0] != first[0] || p[1] != first[1] || std::memcmp(p + 6, first + 6, 4) != 0 ||
            std::memcmp(p + 20, first + 20, l4 - 20) != 0) {
            return false;
        }
    } else if (std::memcmp(p, first, 4) != 0 || p[7] != first[7]) {  // class, flow label, hop limit
        return false;
    }
    // Same ACK, data offset, window, urgent pointer and options.
    const std::uint8_t* t = p + l4;
    const std::uint8_t* ft = first + l4;
    if (std::memcmp(t + 8, ft + 8, 5) != 0 || std::memcmp(t + 14, ft + 14, 2) != 0 ||
        std::memcmp(t + 18, ft + 18, hdr_len - l4 - 18) != 0) {
        return false;
    }
    packets_[out.last].next = packet_index;
    out.last = packet_index;
    ++out.count;
    out.length += static_cast<std::uint32_t>(payload);
    flow.next_seq += static_cast<std::uint32_t>(payload);
    if (payload < flow.gso_size || (t[13] & kTcpPsh))
        close_flow(&flow);  // a short or PSH segment ends the run
    return true;
}

std::span<const std::uint8_t> TunWriteBatch::build_merged(const Output& out) {
    const Packet& head = packets_[out.first];
    const std::uint8_t* p = arena_.data() + head.offset;
    const int version = p[0] >> 4;
    const std::size_t l4 = version == 4 ? ihl(p) : 40;
    const std::size_t header = l4 + data_offset(p + l4);
    if (merged_.size() < kVirtioNetHdrSize + kMaxOffloadPacket)
        merged_.resize(kVirtioNetHdrSize + kMaxOffloadPacket);  // once; later flushes reuse it
    std::uint8_t* o = merged_.data() + kVirtioNetHdrSize;
    std::memcpy(o, p, head.length);
    std::size_t length = head.length;
    std::uint8_t last_flags = p[l4 + 13];
    for (std::uint32_t i = head.next; i != kNone; i = packets_[i].next) {
        const Packet& segment = packets_[i];
        const std::uint8_t* s = arena_.data() + segment.offset;
        std::memcpy(o + length, s + header, segment.length - header);
        length += segment.length - header;
        last_flags = s[l4 + 13];
    }
    if (version == 4) {
        store_be16(o + 2, static_cast<std::uint16_t>(length));
        set_ipv4_checksum(o, l4);
    } else {
        store_be16(o + 4, static_cast<std::uint16_t>(length - 40));
    }
    o[l4 + 13] |= last_flags & kTcpPsh;
    // CHECKSUM_PARTIAL: the field holds the (uncomplemented) pseudo-header sum, and whoever segments or
    // checks the packet adds the rest, as the kernel's own TCP stack leaves it.
    store_be16(o + l4 + kTcpCsumOffset,
               csum_fold(csum_pseudo_header(src_address(o, version), dst_address(o, version), kProtoTcp,
                                            static_cast<std::uint32_t>(length - l4))));
    VirtioNetHdr vnet;
    vnet.flags = kVnetFlagNeedsCsum;
    vnet.gso_type = version == 4 ? kVnetGsoTcpV4 : kVnetGsoTcpV6;
    vnet.hdr_len = static_cast<std::uint16_t>(header);
    vnet.gso_size = static_cast<std::uint16_t>(head.length - header);
    vnet.csum_start = static_cast<std::uint16_t>(l4);
    vnet.csum_offset = kTcpCsumOffset;
    vnet.encode(merged_.data());
    return {merged_.data(), kVirtioNetHdrSize + length};
}

void TunWriteBatch::flush(const PacketSink& write) {
    for (const Output& out : outputs_) {
        if (out.count == 1) {
            const Packet& packet = packets_[out.first];
            write({arena_.data() + packet.offset - kVirtioNetHdrSize, kVirtioNetHdrSize + packet.length});
        } else {
            write(build_merged(out));
        }
    }
    clear();
}

void TunWriteBatch::clear() noexcept {
    arena_.clear();
    packets_.clear();
    outputs_.clear();
    flows_.clear();
}

}  // namespace vpnse::tun
