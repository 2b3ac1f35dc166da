#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "netns_helper.hpp"
#include "platform/linux/tun_device.hpp"
#include "tun/offload.hpp"

using namespace vpnse::platform;
using namespace vpnse::tun;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10, kCwr = 0x80;

std::uint16_t be16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
std::uint32_t be32(const std::uint8_t* p) {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}
void put16(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
void put32(std::uint8_t* p, std::uint32_t v) {
    put16(p, v >> 16);
    put16(p + 2, v);
}

// The textbook checksum, independent of the code under test: big-endian 16-bit words, end-around carry.
std::uint32_t ref_sum(const std::uint8_t* p, std::size_t n, std::uint32_t sum = 0) {
    for (std::size_t i = 0; i < n; i += 2) {
        sum += static_cast<std::uint32_t>(p[i] << 8 | (i + 1 < n ? p[i + 1] : 0));
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}
std::uint32_t ref_pseudo(const std::uint8_t* ip, std::uint8_t proto, std::size_t l4_length) {
    const bool v4 = (ip[0] >> 4) == 4;
    std::uint32_t sum = v4 ? ref_sum(ip + 12, 8) : ref_sum(ip + 8, 32);
    sum = ref_sum(nullptr, 0, sum + proto + static_cast<std::uint32_t>(l4_length));
    return (sum & 0xffff) + (sum >> 16);
}
std::size_t l4_offset(const Bytes& ip) {
    return (ip[0] >> 4) == 4 ? (ip[0] & 0xfu) * 4u : 40u;
}
bool ipv4_header_ok(const Bytes& ip) {
    return ref_sum(ip.data(), l4_offset(ip)) == 0xffff;
}
bool l4_checksum_ok(const Bytes& ip, std::uint8_t proto) {
    const std::size_t l4 = l4_offset(ip);
    return ref_sum(ip.data() + l4, ip.size() - l4, ref_pseudo(ip.data(), proto, ip.size() - l4)) == 0xffff;
}
void fix_checksums(Bytes& ip, std::uint8_t proto) {
    const std::size_t l4 = l4_offset(ip);
    if ((ip[0] >> 4) == 4) {
        put16(&ip[10], 0);
        put16(&ip[10], ~ref_sum(ip.data(), l4) & 0xffff);
    }
    const std::size_t field = l4 + (proto == 6 ? 16 : 6);
    put16(&ip[field], 0);
    put16(&ip[field],
          ~ref_sum(ip.data() + l4, ip.size() - l4, ref_pseudo(ip.data(), proto, ip.size() - l4)) & 0xffff);
}

struct Tcp {
    int version = 4;
    std::uint8_t src_last = 1;  // last address byte: different flows
    std::uint16_t sport = 40000, dport = 5201;
    std::uint32_t seq = 1000, ack = 777;
    std::uint8_t flags = kAck;
    std::uint16_t window = 512;
    std::uint16_t ip_id = 0x1234;
    std::uint8_t ttl = 64;
    Bytes ip_options;   // IPv4 only, multiple of 4
    Bytes tcp_options;  // multiple of 4
};

// A TCP/IP packet with `payload` bytes of a pattern that depends on the sequence number, and valid
// checksums.
Bytes tcp_packet(const Tcp& t, std::size_t payload) {
    const std::size_t ip_header = t.version == 4 ? 20 + t.ip_options.size() : 40;
    const std::size_t tcp_header = 20 + t.tcp_options.size();
    Bytes p(ip_header + tcp_header + payload);
    if (t.version == 4) {
        p[0] = static_cast<std::uint8_t>(0x40 | ip_header / 4);
        put16(&p[2], static_cast<std::uint32_t>(p.size()));
        put16(&p[4], t.ip_id);
        p[6] = 0x40;  // DF
        p[8] = t.ttl;
        p[9] = 6;
        const std::uint8_t addrs[] = {10, 0, 0, t.src_last, 10, 0, 0, 2};
        std::copy(std::begin(addrs), std::end(addrs), p.begin() + 12);
        std::copy(t.ip_options.begin(), t.ip_options.end(), p.begin() + 20);
    } else {
        p[0] = 0x60;
        put16(&p[4], static_cast<std::uint32_t>(p.size() - 40));
        p[6] = 6;
        p[7] = t.ttl;
        p[8] = 0xfd;
        p[23] = t.src_last;
        p[24] = 0xfd;
        p[39] = 2;
    }
    std::uint8_t* th = &p[ip_header];
    put16(th, t.sport);
    put16(th + 2, t.dport);
    put32(th + 4, t.seq);
    put32(th + 8, t.ack);
    th[12] = static_cast<std::uint8_t>(tcp_header / 4 << 4);
    th[13] = t.flags;
    put16(th + 14, t.window);
    std::copy(t.tcp_options.begin(), t.tcp_options.end(), th + 20);
    for (std::size_t i = 0; i < payload; ++i)
        th[tcp_header + i] = static_cast<std::uint8_t>((t.seq + i) * 7 + 3);
    fix_checksums(p, 6);
    return p;
}

Bytes udp_packet(int version, std::size_t payload) {
    const std::size_t l4 = version == 4 ? 20 : 40;
    Bytes p(l4 + 8 + payload);
    if (version == 4) {
        p[0] = 0x45;
        put16(&p[2], static_cast<std::uint32_t>(p.size()));
        p[8] = 64;
        p[9] = 17;
        p[12] = 10, p[15] = 1, p[16] = 10, p[19] = 2;
    } else {
        p[0] = 0x60;
        put16(&p[4], static_cast<std::uint32_t>(p.size() - 40));
        p[6] = 17;
        p[7] = 64;
        p[8] = 0xfd, p[23] = 1, p[24] = 0xfd, p[39] = 2;
    }
    put16(&p[l4], 5353);
    put16(&p[l4 + 2], 53);
    put16(&p[l4 + 4], static_cast<std::uint32_t>(8 + payload));
    for (std::size_t i = 0; i < payload; ++i)
        p[l4 + 8 + i] = static_cast<std::uint8_t>(i * 13 + 1);
    fix_checksums(p, 17);
    return p;
}

// The checksum field of a CHECKSUM_PARTIAL packet: the uncomplemented pseudo-header sum.
void make_partial(Bytes& ip, std::uint8_t proto, std::size_t l4_length) {
    const std::size_t field = l4_offset(ip) + (proto == 6 ? 16 : 6);
    put16(&ip[field], ref_pseudo(ip.data(), proto, l4_length));
}

struct Segmented {
    OffloadError error;
    std::vector<Bytes> packets;
};
Segmented segment(const VirtioNetHdr& hdr, Bytes packet, std::size_t scratch_size = 65535) {
    Bytes scratch(scratch_size);
    Segmented out;
    out.error = segment_packet(hdr, packet, scratch, [&](std::span<const std::uint8_t> p) {
        out.packets.emplace_back(p.begin(), p.end());
    });
    return out;
}

VirtioNetHdr gso_hdr(std::uint8_t type, const Bytes& packet, std::uint16_t gso_size,
                     std::uint16_t l4_header) {
    VirtioNetHdr h;
    h.flags = kVnetFlagNeedsCsum;
    h.gso_type = type;
    h.csum_start = static_cast<std::uint16_t>(l4_offset(packet));
    h.csum_offset = type == kVnetGsoUdpL4 ? 6 : 16;
    h.hdr_len = static_cast<std::uint16_t>(h.csum_start + l4_header);
    h.gso_size = gso_size;
    return h;
}

struct Output {
    VirtioNetHdr hdr;
    Bytes packet;
};
std::vector<Output> flush(TunWriteBatch& batch) {
    std::vector<Output> outputs;
    batch.flush([&](std::span<const std::uint8_t> out) {
        REQUIRE(out.size() > kVirtioNetHdrSize);
        outputs.push_back(
            {VirtioNetHdr::decode(out.data()), Bytes(out.begin() + kVirtioNetHdrSize, out.end())});
    });
    return outputs;
}

}  // namespace

TEST_CASE("virtio_net_hdr is 10 little-endian bytes") {
    VirtioNetHdr h{1, 4, 0x0102, 0x0304, 0x0506, 0x0708};
    std::uint8_t raw[kVirtioNetHdrSize];
    h.encode(raw);
    const std::uint8_t expected[] = {1, 4, 2, 1, 4, 3, 6, 5, 8, 7};
    CHECK(Bytes(raw, raw + 10) == Bytes(expected, expected + 10));
    CHECK(VirtioNetHdr::decode(raw) == h);
}

TEST_CASE("a TCPv4 GSO packet becomes three segments with their own lengths, ids, seq, flags and checksums") {
    Tcp t;
    t.flags = kAck | kPsh | kFin | kCwr;
    t.tcp_options = {1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6};  // NOP NOP timestamps
    Bytes super = tcp_packet(t, 250);
    make_partial(super, 6, super.size() - 20);
    const auto result = segment(gso_hdr(kVnetGsoTcpV4, super, 100, 32), super);
    REQUIRE(result.error == OffloadError::ok);
    REQUIRE(result.packets.size() == 3);
    const std::size_t payloads[] = {100, 100, 50};
    for (std::size_t i = 0; i < 3; ++i) {
        const Bytes& s = result.packets[i];
        INFO("segment " << i);
        REQUIRE(s.size() == 52 + payloads[i]);
        CHECK(be16(&s[2]) == s.size());
        CHECK(be16(&s[4]) == 0x1234 + i);
        CHECK(ipv4_header_ok(s));
        CHECK(be32(&s[24]) == 1000 + 100 * i);
        const std::uint8_t flags = s[33];
        CHECK(((flags & kCwr) != 0) == (i == 0));
        CHECK(((flags & (kFin | kPsh)) != 0) == (i == 2));
        CHECK((flags & kAck) != 0);
        CHECK(l4_checksum_ok(s, 6));
        CHECK(Bytes(s.begin() + 20 + 20, s.begin() + 52) == Bytes(t.tcp_options));
        for (std::size_t j = 0; j < payloads[i]; ++j)
            REQUIRE(s[52 + j] == static_cast<std::uint8_t>((1000 + 100 * i + j) * 7 + 3));
    }
}

TEST_CASE("a TCPv6 GSO packet becomes three segments with payload lengths and checksums") {
    Tcp t;
    t.version = 6;
    t.flags = kAck | kPsh;
    t.seq = 0xffffff00;  // wraps
    Bytes super = tcp_packet(t, 3 * 1200 - 7);
    const auto result = segment(gso_hdr(kVnetGsoTcpV6, super, 1200, 20), super);
    REQUIRE(result.error == OffloadError::ok);
    REQUIRE(result.packets.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        const Bytes& s = result.packets[i];
        const std::size_t payload = i < 2 ? 1200 : 1193;
        REQUIRE(s.size() == 60 + payload);
        CHECK(be16(&s[4]) == 20 + payload);
        CHECK(be32(&s[44]) == static_cast<std::uint32_t>(0xffffff00u + 1200 * i));
        CHECK(((s[53] & kPsh) != 0) == (i == 2));
        CHECK(l4_checksum_ok(s, 6));
    }
}

TEST_CASE("IPv4 options are kept in every segment") {
    Tcp t;
    t.ip_options = {0x94, 4, 0, 0};  // router alert
    Bytes super = tcp_packet(t, 30);
    const auto result = segment(gso_hdr(kVnetGsoTcpV4, super, 10, 20), super);
    REQUIRE(result.error == OffloadError::ok);
    REQUIRE(result.packets.size() == 3);
    for (const auto& s : result.packets) {
        CHECK(s[0] == 0x46);
        CHECK(s[20] == 0x94);
        CHECK(ipv4_header_ok(s));
        CHECK(l4_checksum_ok(s, 6));
    }
}

TEST_CASE("a UDP GSO (USO) packet becomes datagrams with their own UDP length and checksum") {
    for (int version : {4, 6}) {
        Bytes super = udp_packet(version, 2500);
        const auto result = segment(gso_hdr(kVnetGsoUdpL4, super, 1000, 8), super);
        REQUIRE(result.error == OffloadError::ok);
        REQUIRE(result.packets.size() == 3);
        for (std::size_t i = 0; i < 3; ++i) {
            const Bytes& s = result.packets[i];
            const std::size_t l4 = l4_offset(s);
            const std::size_t payload = i < 2 ? 1000 : 500;
            REQUIRE(s.size() == l4 + 8 + payload);
            CHECK(be16(&s[l4 + 4]) == 8 + payload);
            CHECK(l4_checksum_ok(s, 17));
            if (version == 4) {
                CHECK(ipv4_header_ok(s));
            }
            CHECK(s[l4 + 8] == static_cast<std::uint8_t>(i * 1000 * 13 + 1));
        }
    }
}

TEST_CASE("NEEDS_CSUM without GSO finishes the checksum in place") {
    for (int version : {4, 6}) {
        const Bytes udp = udp_packet(version, 101);
        Bytes partial = udp;
        make_partial(partial, 17, udp.size() - l4_offset(udp));
        VirtioNetHdr h;
        h.flags = kVnetFlagNeedsCsum;
        h.csum_start = static_cast<std::uint16_t>(l4_offset(udp));
        h.csum_offset = 6;
        auto result = segment(h, partial);
        REQUIRE(result.error == OffloadError::ok);
        REQUIRE(result.packets.size() == 1);
        CHECK(result.packets[0] == udp);

        Tcp t;
        t.version = version;
        const Bytes tcp = tcp_packet(t, 33);
        partial = tcp;
        make_partial(partial, 6, tcp.size() - l4_offset(tcp));
        h.csum_offset = 16;
        result = segment(h, partial);
        REQUIRE(result.error == OffloadError::ok);
        CHECK(result.packets.at(0) == tcp);
    }
    // No flags: the packet as it is.
    const Bytes odd = {0x45, 1, 2};
    auto result = segment(VirtioNetHdr{}, odd);
    CHECK(result.error == OffloadError::ok);
    CHECK(result.packets.at(0) == odd);
}

TEST_CASE("malformed offload headers and packets are rejected, never segmented") {
    Tcp t;
    const Bytes good = tcp_packet(t, 300);
    const VirtioNetHdr good_hdr = gso_hdr(kVnetGsoTcpV4, good, 100, 20);
    REQUIRE(segment(good_hdr, good).error == OffloadError::ok);

    struct Case {
        const char* name;
        OffloadError expected;
        VirtioNetHdr hdr;
        Bytes packet;
        std::size_t scratch = 65535;
    };
    std::vector<Case> cases;
    auto with_hdr = [&](const char* name, OffloadError e, auto change) {
        VirtioNetHdr h = good_hdr;
        change(h);
        cases.push_back({name, e, h, good});
    };
    auto with_packet = [&](const char* name, OffloadError e, auto change) {
        Bytes p = good;
        change(p);
        VirtioNetHdr h = good_hdr;
        h.hdr_len = 0;  // not checked beyond "inside the packet": each case is about the packet
        cases.push_back({name, e, h, p});
    };
    cases.push_back({"empty", OffloadError::empty_packet, good_hdr, {}});
    with_hdr("ECN", OffloadError::ecn_unsupported, [](VirtioNetHdr& h) { h.gso_type |= kVnetGsoEcn; });
    with_hdr("UFO", OffloadError::unsupported_gso_type, [](VirtioNetHdr& h) { h.gso_type = 3; });
    with_hdr("unknown type", OffloadError::unsupported_gso_type, [](VirtioNetHdr& h) { h.gso_type = 0x7f; });
    with_hdr("hdr_len beyond", OffloadError::bad_hdr_len,
             [&](VirtioNetHdr& h) { h.hdr_len = static_cast<std::uint16_t>(good.size() + 1); });
    with_hdr("csum_start not at TCP", OffloadError::bad_csum_offsets,
             [](VirtioNetHdr& h) { h.csum_start = 24; });
    with_hdr("csum_offset not the TCP field", OffloadError::bad_csum_offsets,
             [](VirtioNetHdr& h) { h.csum_offset = 6; });
    with_hdr("gso_size 0", OffloadError::bad_gso_size, [](VirtioNetHdr& h) { h.gso_size = 0; });
    with_hdr("TCPV6 on IPv4", OffloadError::bad_ip_header,
             [](VirtioNetHdr& h) { h.gso_type = kVnetGsoTcpV6; });
    with_hdr("USO on TCP", OffloadError::bad_ip_header, [](VirtioNetHdr& h) {
        h.gso_type = kVnetGsoUdpL4;
        h.csum_offset = 6;
    });
    with_packet("IP version 5", OffloadError::bad_ip_header, [](Bytes& p) { p[0] = 0x55; });
    with_packet("IHL 4", OffloadError::bad_ip_header, [](Bytes& p) { p[0] = 0x44; });
    with_packet("IHL beyond the packet", OffloadError::bad_ip_header, [](Bytes& p) {
        p[0] = 0x4f;
        p.resize(50);
        put16(&p[2], 50);
    });
    with_packet("total length too big", OffloadError::bad_length,
                [](Bytes& p) { put16(&p[2], be16(&p[2]) + 1); });
    with_packet("total length too small", OffloadError::bad_length, [](Bytes& p) { put16(&p[2], 100); });
    with_packet("truncated", OffloadError::bad_length, [](Bytes& p) { p.resize(p.size() - 1); });
    with_packet("shorter than an IPv4 header", OffloadError::bad_length, [](Bytes& p) { p.resize(19); });
    with_packet("MF", OffloadError::fragmented, [](Bytes& p) { p[6] |= 0x20; });
    with_packet("fragment offset", OffloadError::fragmented, [](Bytes& p) { p[7] = 1; });
    with_packet("not TCP", OffloadError::bad_ip_header, [](Bytes& p) { p[9] = 17; });
    with_packet("data offset 4", OffloadError::bad_l4_header, [](Bytes& p) { p[32] = 0x40; });
    with_packet("data offset beyond", OffloadError::bad_l4_header, [](Bytes& p) {
        p[32] = 0xf0;
        p.resize(70);
        put16(&p[2], 70);
    });
    with_packet("TCP header cut", OffloadError::bad_l4_header, [](Bytes& p) {
        p.resize(30);
        put16(&p[2], 30);
    });
    with_packet("no payload", OffloadError::bad_length, [](Bytes& p) {
        p.resize(40);
        put16(&p[2], 40);
    });
    cases.push_back({"segment bigger than the buffer", OffloadError::buffer_too_small, good_hdr, good, 119});

    Tcp t6;
    t6.version = 6;
    const Bytes good6 = tcp_packet(t6, 300);
    const VirtioNetHdr hdr6 = gso_hdr(kVnetGsoTcpV6, good6, 100, 20);
    REQUIRE(segment(hdr6, good6).error == OffloadError::ok);
    cases.push_back({"TCPV4 on IPv6", OffloadError::bad_ip_header,
                     [&] {
                         VirtioNetHdr h = hdr6;
                         h.gso_type = kVnetGsoTcpV4;
                         return h;
                     }(),
                     good6});
    Bytes v6 = good6;
    put16(&v6[4], be16(&v6[4]) - 1);
    cases.push_back({"IPv6 payload length", OffloadError::bad_length, hdr6, v6});
    v6 = good6;
    v6[6] = 0;  // hop-by-hop options first
    cases.push_back({"IPv6 extension header", OffloadError::bad_ip_header, hdr6, v6});
    VirtioNetHdr short6 = hdr6;
    short6.hdr_len = 0;
    cases.push_back({"shorter than an IPv6 header", OffloadError::bad_length, short6,
                     Bytes(good6.begin(), good6.begin() + 39)});

    VirtioNetHdr partial;
    partial.flags = kVnetFlagNeedsCsum;
    partial.csum_start = static_cast<std::uint16_t>(good.size());
    cases.push_back({"csum_start at the end", OffloadError::bad_csum_offsets, partial, good});
    partial.csum_start = 20;
    partial.csum_offset = static_cast<std::uint16_t>(good.size() - 21);
    cases.push_back({"csum field past the end", OffloadError::bad_csum_offsets, partial, good});
    partial.csum_offset = 0xffff;
    cases.push_back({"csum_offset huge", OffloadError::bad_csum_offsets, partial, good});

    for (const auto& c : cases) {
        INFO(c.name);
        const auto result = segment(c.hdr, c.packet, c.scratch);
        CHECK(result.error == c.expected);
        CHECK(result.packets.empty());
        CHECK_FALSE(to_string(result.error).empty());
    }
}

TEST_CASE("three consecutive segments coalesce into one super-packet that segments back to them") {
    for (int version : {4, 6}) {
        INFO("IPv" << version);
        Tcp t;
        t.version = version;
        t.tcp_options = {1, 1, 8, 10, 0, 0, 1, 0, 0, 0, 2, 0};
        std::vector<Bytes> originals;
        for (int i = 0; i < 3; ++i) {
            t.flags = i == 2 ? kAck | kPsh : kAck;
            originals.push_back(tcp_packet(t, i == 2 ? 700 : 1000));
            t.seq += 1000;
            ++t.ip_id;
        }
        TunWriteBatch batch;
        for (const auto& p : originals)
            batch.add(p);
        CHECK(batch.packets() == 3);
        const auto outputs = flush(batch);
        CHECK(batch.empty());
        REQUIRE(outputs.size() == 1);
        const auto& [hdr, super] = outputs[0];
        const std::size_t l4 = version == 4 ? 20 : 40;
        CHECK(hdr.flags == kVnetFlagNeedsCsum);
        CHECK(hdr.gso_type == (version == 4 ? kVnetGsoTcpV4 : kVnetGsoTcpV6));
        CHECK(hdr.hdr_len == l4 + 32);
        CHECK(hdr.gso_size == 1000);
        CHECK(hdr.csum_start == l4);
        CHECK(hdr.csum_offset == 16);
        REQUIRE(super.size() == l4 + 32 + 2700);
        if (version == 4) {
            CHECK(be16(&super[2]) == super.size());
            CHECK(be16(&super[4]) == 0x1234);
            CHECK(ipv4_header_ok(super));
        } else {
            CHECK(be16(&super[4]) == super.size() - 40);
        }
        CHECK(super[l4 + 13] == (kAck | kPsh));
        // CHECKSUM_PARTIAL: the field holds the pseudo-header sum over the whole TCP length...
        CHECK(be16(&super[l4 + 16]) == ref_pseudo(super.data(), 6, super.size() - l4));
        // ...and finishing it like the kernel would gives a valid checksum.
        Bytes finished = super;
        put16(&finished[l4 + 16], ~ref_sum(super.data() + l4, super.size() - l4) & 0xffff);
        CHECK(l4_checksum_ok(finished, 6));

        const auto back = segment(hdr, super);
        REQUIRE(back.error == OffloadError::ok);
        REQUIRE(back.packets.size() == 3);
        for (int i = 0; i < 3; ++i)
            CHECK(back.packets[i] == originals[i]);
    }
}

TEST_CASE("runs break at seq gaps, other flows, SYN/FIN, other ACKs and everything else that differs") {
    Tcp t;
    auto run = [&](std::vector<Bytes> packets) {
        TunWriteBatch batch;
        for (const auto& p : packets)
            batch.add(p);
        std::vector<std::size_t> sizes;  // IP length of each output, in order
        for (const auto& out : flush(batch)) {
            CHECK((out.hdr.gso_type == kVnetGsoNone) == (out.hdr == VirtioNetHdr{}));
            sizes.push_back(out.packet.size());
        }
        return sizes;
    };
    auto next = [&](std::size_t payload = 100) {
        Bytes p = tcp_packet(t, payload);
        t.seq += static_cast<std::uint32_t>(payload);
        ++t.ip_id;
        return p;
    };
    using Sizes = std::vector<std::size_t>;

    SECTION("baseline") {
        CHECK(run({next(), next(), next()}) == Sizes{340});
    }
    SECTION("a gap in seq") {
        auto a = next(), b = next();
        t.seq += 1;
        CHECK(run({a, b, next()}) == Sizes{240, 140});
    }
    SECTION("a different flow never joins, nor breaks the run") {
        auto a = next();
        Tcp other = t;
        other.dport = 5202;
        auto b = tcp_packet(other, 100);
        CHECK(run({a, b, next()}) == Sizes{240, 140});
        other = t;
        other.src_last = 9;
        CHECK(run({next(), tcp_packet(other, 100)}) == Sizes{140, 140});
    }
    SECTION("SYN and FIN") {
        auto a = next();
        t.flags = kAck | kFin;
        auto fin = next();
        t.flags = kAck;
        auto c = next(), d = next();
        CHECK(run({a, fin, c, d}) == Sizes{140, 140, 240});
        t.flags = kSyn | kAck;
        auto syn = next();
        t.flags = kAck;
        CHECK(run({syn, next(), next()}) == Sizes{140, 240});
    }
    SECTION("a different ACK, window, TTL or options") {
        auto a = next();
        t.ack += 1;
        CHECK(run({a, next()}) == Sizes{140, 140});
        a = next();
        t.window += 1;
        CHECK(run({a, next()}) == Sizes{140, 140});
        a = next();
        t.ttl -= 1;
        CHECK(run({a, next()}) == Sizes{140, 140});
        a = next();
        t.tcp_options = {1, 1, 1, 1};
        CHECK(run({a, next()}) == Sizes{140, 144});
    }
    SECTION("PSH and a shorter segment end the run; a longer one starts a new one") {
        auto a = next();
        t.flags = kAck | kPsh;
        auto b = next();
        t.flags = kAck;
        CHECK(run({a, b, next()}) == Sizes{240, 140});
        a = next();
        b = next(50);
        CHECK(run({a, b, next()}) == Sizes{190, 140});
        a = next(50);
        CHECK(run({a, next(), next()}) == Sizes{90, 240});
    }
    SECTION("pure ACKs, bad checksums and fragments pass through") {
        auto a = next();
        auto ack = tcp_packet(t, 0);
        CHECK(run({a, ack, next()}) == Sizes{140, 40, 140});
        a = next();
        auto bad = next();
        bad.back() ^= 1;
        CHECK(run({a, bad, next()}) == Sizes{140, 140, 140});
        a = next();
        bad = next();
        bad[8] ^= 1;  // TTL changed without the header checksum
        CHECK(run({a, bad}) == Sizes{140, 140});
        a = next();
        auto fragment = next();
        fragment[6] = 0x20;  // MF
        fix_checksums(fragment, 6);
        CHECK(run({a, fragment, next()}) == Sizes{140, 140, 140});
    }
    SECTION("UDP in between passes through and leaves the run alone") {
        auto a = next();
        CHECK(run({a, udp_packet(4, 10), next()}) == Sizes{240, 38});
    }
    SECTION("garbage passes through unchanged") {
        const Bytes junk = {0x45, 0, 0};
        TunWriteBatch batch;
        batch.add(junk);
        batch.add({});
        const auto outputs = flush(batch);
        REQUIRE(outputs.size() == 1);  // the empty one is not written (flush asserts size > header)
    }
}

TEST_CASE("super-packets stay within 65535 bytes") {
    Tcp t;
    TunWriteBatch batch;
    std::vector<Bytes> originals;
    for (int i = 0; i < 50; ++i) {
        originals.push_back(tcp_packet(t, 1400));
        batch.add(originals.back());
        t.seq += 1400;
        ++t.ip_id;
    }
    std::size_t segments = 0;
    const auto outputs = flush(batch);
    CHECK(outputs.size() == 2);
    for (const auto& out : outputs) {
        CHECK(out.packet.size() <= 65535);
        const auto back = segment(out.hdr, out.packet);
        REQUIRE(back.error == OffloadError::ok);
        for (const auto& p : back.packets)
            CHECK(p == originals.at(segments++));
    }
    CHECK(segments == 50);
}

TEST_CASE("write batches are bounded, reusable, and can pass everything through") {
    Tcp t;
    TunWriteBatch::Limits limits;
    limits.max_packets = 2;
    limits.max_flows = 1;
    TunWriteBatch batch(limits);
    batch.add(tcp_packet(t, 10));
    CHECK_FALSE(batch.full());
    Tcp other = t;
    other.sport = 1;
    batch.add(tcp_packet(other, 10));  // evicts the first flow
    CHECK(batch.full());
    t.seq += 10;
    batch.add(tcp_packet(t, 10));
    CHECK(flush(batch).size() == 3);

    for (int round = 0; round < 3; ++round) {
        batch.set_coalesce(round != 1);
        for (int i = 0; i < 2; ++i) {
            batch.add(tcp_packet(t, 10));
            t.seq += 10;
        }
        CHECK(flush(batch).size() == (round == 1 ? 2u : 1u));
    }
    batch.add(tcp_packet(t, 10));
    batch.clear();
    CHECK(batch.empty());
    CHECK(flush(batch).empty());
}

namespace {

// One read from a non-blocking fd within `timeout_ms`; empty on timeout.
Bytes read_within(int fd, int timeout_ms) {
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, timeout_ms) <= 0)
        return {};
    Bytes buf(kVirtioNetHdrSize + 65536);
    const auto n = ::read(fd, buf.data(), buf.size());
    buf.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return buf;
}

// Reads the TUN until `want` accepts a segment (IP `version`, checksums finished) or nothing comes
// for 1 s. `gso_types` collects the vnet gso_type of every read.
std::string read_segments(int fd, int version, const std::function<bool(const Bytes&)>& want,
                          std::vector<int>& gso_types) {
    Bytes scratch(65535);
    for (;;) {
        Bytes read = read_within(fd, 1000);
        if (read.empty())
            return "timed out reading the TUN";
        if (read.size() <= kVirtioNetHdrSize)
            return "short read";
        const auto hdr = VirtioNetHdr::decode(read.data());
        gso_types.push_back(hdr.gso_type);
        bool done = false;
        const auto error =
            segment_packet(hdr, {read.data() + kVirtioNetHdrSize, read.size() - kVirtioNetHdrSize}, scratch,
                           [&](std::span<const std::uint8_t> p) {
                               Bytes packet(p.begin(), p.end());
                               if (!done && (packet[0] >> 4) == version)
                                   done = want(packet);
                           });
        if (error != OffloadError::ok)
            return "segmenting: " + std::string(to_string(error));
        if (done)
            return "";
    }
}

struct Endpoint {
    sockaddr_storage storage{};
    socklen_t length = 0;
    sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage); }
};
// Address ...1 (the peer) or ...2 (this host) of the test network, as the packet builders use them.
Endpoint endpoint(int version, int host, std::uint16_t port) {
    Endpoint e;
    if (version == 4) {
        auto* in = reinterpret_cast<sockaddr_in*>(&e.storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        in->sin_addr.s_addr = htonl(0x0a000000u + static_cast<std::uint32_t>(host));
        e.length = sizeof(sockaddr_in);
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&e.storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        in6->sin6_addr.s6_addr[0] = 0xfd;
        in6->sin6_addr.s6_addr[15] = static_cast<std::uint8_t>(host);
        e.length = sizeof(sockaddr_in6);
    }
    return e;
}

// The test plays the peer (...1) through the TUN fd; this host is ...2 on the TUN. A TCP connection
// from the host's port 5201 to the peer's 40000 carries three segments coalesced into one write one
// way, and a send that leaves as TSO super-packets the other way; then a UDP_SEGMENT send.
std::string kernel_round_trip(TunDevice& tun, int version) {
    const int fd = tun.fd();
    const int family = version == 4 ? AF_INET : AF_INET6;
    const std::size_t l4 = version == 4 ? 20 : 40;
    std::vector<int> gso_types;

    const int sock = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    Endpoint local = endpoint(version, 2, 5201);
    Endpoint peer = endpoint(version, 1, 40000);
    if (::bind(sock, local.get(), local.length) != 0)
        return std::string("bind failed: ") + std::strerror(errno);
    (void)::connect(sock, peer.get(), peer.length);
    auto protocol = [&](const Bytes& p) { return version == 4 ? p[9] : p[6]; };
    auto is_ours = [&](const Bytes& p) {
        return protocol(p) == 6 && be16(&p[l4]) == 5201 && be16(&p[l4 + 2]) == 40000;
    };
    std::uint32_t kernel_seq = 0;
    auto error = read_segments(
        fd, version,
        [&](const Bytes& p) {
            if (!is_ours(p) || (p[l4 + 13] & (kSyn | kAck)) != kSyn)
                return false;
            kernel_seq = be32(&p[l4 + 4]) + 1;
            return l4_checksum_ok(p, 6);
        },
        gso_types);
    if (!error.empty())
        return "SYN: " + error;
    Tcp t;  // peer:40000 -> host:5201
    t.version = version;
    t.seq = 5000;
    t.ack = kernel_seq;
    t.window = 65535;
    t.flags = kSyn | kAck;
    t.tcp_options = {2, 4, 0x05, 0xa0};  // MSS 1440; no timestamps, no window scaling
    Bytes synack(kVirtioNetHdrSize);
    const Bytes synack_ip = tcp_packet(t, 0);
    synack.insert(synack.end(), synack_ip.begin(), synack_ip.end());
    if (::write(fd, synack.data(), synack.size()) != static_cast<ssize_t>(synack.size()))
        return "writing the SYN-ACK failed";
    pollfd writable{sock, POLLOUT, 0};
    if (::poll(&writable, 1, 2000) != 1)
        return "connect did not complete";

    // Peer -> host: three segments, one coalesced write.
    t.seq = 5001;
    t.flags = kAck;
    t.tcp_options.clear();
    TunWriteBatch batch;
    for (int i = 0; i < 3; ++i) {
        if (i == 2)
            t.flags = kAck | kPsh;
        batch.add(tcp_packet(t, 1000));
        t.seq += 1000;
        ++t.ip_id;
    }
    std::size_t writes = 0;
    std::string write_error;
    batch.flush([&](std::span<const std::uint8_t> out) {
        ++writes;
        if (VirtioNetHdr::decode(out.data()).gso_type != (version == 4 ? kVnetGsoTcpV4 : kVnetGsoTcpV6))
            write_error = "not coalesced";
        else if (::write(fd, out.data(), out.size()) != static_cast<ssize_t>(out.size()))
            write_error = std::string("kernel refused the super-packet: ") + std::strerror(errno);
    });
    if (writes != 1 || !write_error.empty())
        return "coalesced write: " + write_error;
    Bytes received;
    while (received.size() < 3000) {
        pollfd readable{sock, POLLIN, 0};
        if (::poll(&readable, 1, 2000) != 1)
            return "the kernel delivered " + std::to_string(received.size()) + " of 3000 bytes";
        std::uint8_t buf[4096];
        const auto n = ::recv(sock, buf, sizeof buf, 0);
        if (n <= 0)
            return "recv failed";
        received.insert(received.end(), buf, buf + n);
    }
    for (std::size_t i = 0; i < received.size(); ++i) {
        if (received[i] != static_cast<std::uint8_t>((5001 + i) * 7 + 3))
            return "received bytes differ at " + std::to_string(i);
    }

    // Host -> peer: one send within the initial window (10 segments) leaves as TSO super-packets.
    Bytes sent(12000);
    for (std::size_t i = 0; i < sent.size(); ++i)
        sent[i] = static_cast<std::uint8_t>(i * 31 + 5);
    if (::send(sock, sent.data(), sent.size(), 0) != static_cast<ssize_t>(sent.size()))
        return "send failed";
    gso_types.clear();
    Bytes got;
    std::string bad;
    error = read_segments(
        fd, version,
        [&](const Bytes& p) {
            if (!is_ours(p) || p.size() == l4 + 20)
                return false;
            if ((version == 4 && !ipv4_header_ok(p)) || !l4_checksum_ok(p, 6) || p.size() > 1500)
                bad = "bad segment";
            if (be32(&p[l4 + 4]) != kernel_seq + got.size())
                bad = "out of order";
            got.insert(got.end(), p.begin() + static_cast<std::ptrdiff_t>(l4 + 20), p.end());
            return got.size() >= sent.size();
        },
        gso_types);
    if (!error.empty() || !bad.empty())
        return "TSO: " + error + bad;
    if (!std::equal(got.begin(), got.end(), sent.begin()))
        return "TSO payload differs";
    if (std::find(gso_types.begin(), gso_types.end(), version == 4 ? kVnetGsoTcpV4 : kVnetGsoTcpV6) ==
        gso_types.end())
        return "no TSO super-packet came";
    ::close(sock);

    // UDP GSO: 3000 bytes in 1000-byte datagrams (USO from Linux 6.2, else the kernel segments).
    const int udp = ::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int segment_size = 1000;
    if (::setsockopt(udp, IPPROTO_UDP, UDP_SEGMENT, &segment_size, sizeof segment_size) != 0)
        return "UDP_SEGMENT failed";
    Endpoint sink = endpoint(version, 1, 9999);
    if (::sendto(udp, sent.data(), 3000, 0, sink.get(), sink.length) != 3000)
        return "UDP sendto failed";
    std::size_t datagrams = 0;
    error = read_segments(
        fd, version,
        [&](const Bytes& p) {
            if (protocol(p) != 17 || be16(&p[l4 + 2]) != 9999)
                return false;
            if (p.size() != l4 + 8 + 1000 || !l4_checksum_ok(p, 17) || (version == 4 && !ipv4_header_ok(p)) ||
                !std::equal(p.begin() + static_cast<std::ptrdiff_t>(l4 + 8), p.end(),
                            sent.begin() + static_cast<std::ptrdiff_t>(1000 * datagrams)))
                bad = "bad datagram";
            return ++datagrams == 3;
        },
        gso_types);
    ::close(udp);
    if (!error.empty() || !bad.empty())
        return "USO: " + error + bad;
    return "";
}

}  // namespace

TEST_CASE("kernel: an offload TUN hands over TSO/USO super-packets and takes coalesced ones") {
    if (!platform_test::is_root()) {
        VPNSE_SKIP_OR_FAIL("needs root for network namespaces");
    }
    const auto failure = platform_test::run_in_netns([]() -> std::string {
        LinuxTunDeviceFactory factory;
        auto tun = factory.open(TunOptions{"vpnsetest5", 1500, false, true});
        if (!tun)
            return tun.error().to_string();
        if (!(*tun)->offload())
            return "offloads refused by this kernel";
        platform_test::sh(
            "ip addr add 10.0.0.2/24 dev vpnsetest5 && ip addr add fd00::2/64 dev vpnsetest5 nodad && "
            "ip link set vpnsetest5 up");
        for (int version : {4, 6}) {
            if (auto error = kernel_round_trip(**tun, version); !error.empty())
                return "IPv" + std::to_string(version) + ": " + error;
        }
        return "";
    });
    CHECK(failure == "");
}
