#pragma once
// TUN offloads (IFF_VNET_HDR + TUNSETOFFLOAD), the packet side: pure functions, no syscalls.
//
// With offloads on, every read and write on the TUN fd starts with a 10-byte virtio_net_hdr.
// - TUN -> us: the kernel may hand over a TCP (TSO) or UDP (USO) super-packet of up to 64 KiB, or a
//   packet whose checksum is left for us to finish (CHECKSUM_PARTIAL). segment_packet() turns it back
//   into ordinary <= MTU packets with complete checksums, as a NIC would on transmit.
// - us -> TUN: TunWriteBatch merges runs of consecutive TCP segments of one flow into one super-packet
//   (like the kernel's GRO), so the kernel's receive path runs once per 64 KiB instead of per packet.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace vpnse::tun {

inline constexpr std::size_t kVirtioNetHdrSize = 10;
// The largest packet the kernel hands over or takes with offloads (IPv4 total length is 16 bits;
// TUN does not do BIG TCP).
inline constexpr std::size_t kMaxOffloadPacket = 65535;

// struct virtio_net_hdr (<linux/virtio_net.h>), in host order here; little-endian on the wire
// (TUNSETVNETLE makes the kernel use little-endian on every host).
struct VirtioNetHdr {
    std::uint8_t flags = 0;         // VIRTIO_NET_HDR_F_*
    std::uint8_t gso_type = 0;      // VIRTIO_NET_HDR_GSO_*, possibly | VIRTIO_NET_HDR_GSO_ECN
    std::uint16_t hdr_len = 0;      // IP + L4 header length of a GSO packet
    std::uint16_t gso_size = 0;     // payload bytes per segment
    std::uint16_t csum_start = 0;   // offset of the L4 header (NEEDS_CSUM)
    std::uint16_t csum_offset = 0;  // offset of the checksum field from csum_start

    // `in` and `out` hold at least kVirtioNetHdrSize bytes.
    static VirtioNetHdr decode(const std::uint8_t* in) noexcept;
    void encode(std::uint8_t* out) const noexcept;
    friend bool operator==(const VirtioNetHdr&, const VirtioNetHdr&) = default;
};

// The values of <linux/virtio_net.h> (kernel ABI), repeated because that header does not compile as
// C++ (a member named `class`) and older copies lack GSO_UDP_L4.
inline constexpr std::uint8_t kVnetFlagNeedsCsum = 1;
inline constexpr std::uint8_t kVnetFlagDataValid = 2;
inline constexpr std::uint8_t kVnetGsoNone = 0;
inline constexpr std::uint8_t kVnetGsoTcpV4 = 1;
inline constexpr std::uint8_t kVnetGsoTcpV6 = 4;
inline constexpr std::uint8_t kVnetGsoUdpL4 = 5;
inline constexpr std::uint8_t kVnetGsoEcn = 0x80;

// Why a packet from the TUN could not be used; the packet is then dropped.
enum class OffloadError : std::uint8_t {
    ok = 0,
    empty_packet,
    unsupported_gso_type,  // UFO, unknown types
    ecn_unsupported,       // GSO_ECN: never negotiated (no TUN_F_TSO_ECN)
    bad_ip_header,         // version, IHL or protocol does not fit the GSO type
    bad_length,            // IP length fields disagree with the packet, or no payload
    fragmented,            // an IPv4 fragment cannot be a GSO packet
    bad_l4_header,         // TCP data offset / UDP header beyond the packet
    bad_hdr_len,           // virtio hdr_len beyond the packet
    bad_csum_offsets,      // csum_start/csum_offset outside the packet or not at the L4 checksum
    bad_gso_size,          // zero
    buffer_too_small,      // a segment does not fit the caller's buffer
};
std::string_view to_string(OffloadError error) noexcept;

// Receives one finished IP packet (or, from TunWriteBatch::flush, vnet header + packet). The span is
// valid only during the call.
using PacketSink = std::function<void(std::span<const std::uint8_t>)>;

// --- TUN -> us ---------------------------------------------------------------------------------
// Turns what the kernel handed over (header + packet) into finished IP packets for `sink`:
// - GSO_NONE: the packet as is, its checksum finished first when NEEDS_CSUM (in place: `packet` is
//   modified);
// - GSO_TCPV4/TCPV6/UDP_L4: one packet per gso_size bytes of payload, each built in `scratch`
//   (reused; it must hold IP + L4 header + gso_size) with its own lengths, IPv4 id, TCP sequence
//   number and flags, and complete checksums.
// Never reads outside `packet`; on an error nothing more is passed to `sink` (segments already
// passed stay passed).
OffloadError segment_packet(const VirtioNetHdr& hdr, std::span<std::uint8_t> packet,
                            std::span<std::uint8_t> scratch, const PacketSink& sink);

// --- us -> TUN ---------------------------------------------------------------------------------
// Collects the IP packets of one burst and writes them as few as possible: runs of TCP segments of
// one flow become a super-packet (GSO_TCPV4/TCPV6 with NEEDS_CSUM), everything else passes through
// with a zeroed header. Order within a flow is kept; packets of different flows may be reordered.
// Segments merge when they have the same addresses and ports, the same IP header apart from
// length/id/checksum (IPv4 not fragmented, IPv6 without extension headers), consecutive sequence
// numbers, the same ACK, window, urgent pointer and TCP options, only ACK set (PSH allowed on the
// last), valid checksums, equal payload sizes (the last may be shorter), and fit in 65535 bytes.
// add() copies each packet once into one arena; a super-packet is assembled at flush() (its payload
// copied once more), so runs of interleaved flows still merge. Memory: the arena (bounded by Limits)
// and one 64 KiB assembly buffer, both kept across flushes.
class TunWriteBatch {
  public:
    struct Limits {
        std::size_t max_bytes = 256 * 1024;  // buffered packet bytes before full() says flush
        std::size_t max_packets = 1024;
        std::size_t max_flows = 16;  // flows tracked at once for merging
    };
    TunWriteBatch() : TunWriteBatch(Limits{}) {}
    explicit TunWriteBatch(Limits limits);

    // Copies the packet in (any bytes; what is not a mergeable TCP segment passes through, an empty
    // one is dropped). Not from within flush().
    void add(std::span<const std::uint8_t> packet);
    // Flush before adding more.
    bool full() const noexcept {
        return arena_.size() >= limits_.max_bytes || packets_.size() >= limits_.max_packets;
    }
    bool empty() const noexcept { return packets_.empty(); }
    std::size_t packets() const noexcept { return packets_.size(); }
    // Off: every packet passes through on its own (e.g. when the kernel refused a super-packet).
    void set_coalesce(bool on) noexcept { coalesce_ = on; }
    bool coalesce() const noexcept { return coalesce_; }

    // Hands each output (10-byte vnet header + packet, contiguous) to `write`, in order, and empties
    // the batch; buffers keep their capacity for the next burst.
    void flush(const PacketSink& write);
    // Drops whatever was added since the last flush.
    void clear() noexcept;

  private:
    struct Packet {
        std::uint32_t offset;  // of the IP packet in arena_ (a vnet header's room precedes it)
        std::uint32_t length;
        std::uint32_t next;  // next packet merged into the same output, or kNone
    };
    struct Output {
        std::uint32_t first;  // packet index
        std::uint32_t last;
        std::uint32_t count;
        std::uint32_t length;  // IP length of the merged packet
    };
    // A TCP run that later segments may still join.
    struct OpenFlow {
        std::uint32_t output;
        std::uint32_t next_seq;
        std::uint16_t gso_size;
        std::uint16_t l4_offset;
        std::uint16_t hdr_len;  // IP + TCP header
        std::uint8_t version;
        std::uint8_t key[36];  // addresses and ports
        std::uint8_t key_len;
    };
    static constexpr std::uint32_t kNone = 0xffffffff;

    void add_output(std::uint32_t packet, std::uint32_t length);
    OpenFlow* find_flow(const std::uint8_t* key, std::size_t key_len) noexcept;
    void close_flow(OpenFlow* flow) noexcept;
    bool try_merge(OpenFlow& flow, std::uint32_t packet_index, const std::uint8_t* p, std::size_t hdr_len,
                   std::size_t payload, std::uint32_t seq);
    std::span<const std::uint8_t> build_merged(const Output& out);

    Limits limits_;
    bool coalesce_ = true;
    std::vector<std::uint8_t> arena_;
    std::vector<Packet> packets_;
    std::vector<Output> outputs_;
    std::vector<OpenFlow> flows_;
    std::vector<std::uint8_t> merged_;  // one super-packet at a time, during flush
};

}  // namespace vpnse::tun
