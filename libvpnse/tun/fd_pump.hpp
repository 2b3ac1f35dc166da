#pragma once
// Moves IP packets between a TUN file descriptor and the tunnel, on an io_context: non-blocking reads,
// up to 64 packets per wake-up. With a virtio_net_hdr on every packet (Linux IFF_VNET_HDR, offload.hpp)
// super-packets are segmented on the way in and packets for the host are merged GRO-style into one
// write per burst; without it (IFF_NO_PI, as Android's VpnService hands over) each packet is one read
// or one write. vpnsed pumps its own TUN with it; the C API pumps the TUN fd an app attaches.
//
// Threading: every member function on a thread running `io`; the handler is called there too.
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "tun/offload.hpp"
#include "vpnse/log.hpp"

namespace vpnse::tun {

using PacketHandler = std::function<void(std::span<const std::uint8_t> ip_packet)>;

class FdPump {
  public:
    struct Options {
        bool vnet_hdr = false;     // every read and write carries a 10-byte virtio_net_hdr
        std::uint32_t mtu = 1500;  // of the device: the largest segment a super-packet is cut into
    };
    // `fd` is not owned: it must stay open until close() or the destructor. It is made non-blocking.
    FdPump(asio::io_context& io, int fd, Options options, Logger logger);
    ~FdPump();
    FdPump(const FdPump&) = delete;
    FdPump& operator=(const FdPump&) = delete;

    // Starts reading: each IP packet read goes to `to_tunnel`, a burst at a time. The handler may
    // close() or destroy the pump.
    void start(PacketHandler to_tunnel);
    // One IP packet for the host; when the kernel has no room it is dropped, as a NIC drops it.
    void write(std::span<const std::uint8_t> ip_packet);
    // Stops reading and drops what was not written yet; the fd is left open.
    void close();
    bool open() const { return stream_.has_value(); }

  private:
    void wait_readable();
    void read_plain();
    void read_offloaded();
    void flush_writes();
    void write_to_kernel(std::span<const std::uint8_t> output);

    asio::io_context& io_;
    int fd_;
    Options options_;
    Logger logger_;
    std::optional<asio::posix::stream_descriptor> stream_;
    PacketHandler to_tunnel_;
    std::vector<std::uint8_t> read_buffer_;
    // With vnet headers: segments of a super-packet read from the TUN, and the packets for the TUN
    // gathered per burst (one flush posted per burst) and merged into super-packets.
    std::vector<std::uint8_t> segment_buffer_;
    PacketSink counted_to_tunnel_;
    std::size_t segments_this_wake_ = 0;
    TunWriteBatch write_batch_;
    PacketSink to_kernel_;
    bool flush_posted_ = false;
    std::vector<std::uint8_t> refused_;  // a super-packet the kernel refused, to write in segments
    std::uint64_t read_errors_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vpnse::tun
