#pragma once
// PacketDevice over a TUN file descriptor: non-blocking reads on the io_context, up to 64 packets per
// wake-up; with offloads (virtio_net_hdr) super-packets are segmented on the way in and packets for
// the host are merged GRO-style into one write per burst (tun_offload.hpp).
#include <asio/posix/stream_descriptor.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "platform/linux/tun_offload.hpp"
#include "platform/packet_device.hpp"

namespace vpnse::platform {

class TunPacketDevice final : public PacketDevice {
  public:
    TunPacketDevice(asio::io_context& io, std::unique_ptr<TunDevice> tun, Logger logger);
    ~TunPacketDevice() override;

    const std::string& name() const noexcept override { return tun_->name(); }
    int ifindex() const noexcept override { return tun_->ifindex(); }
    std::uint32_t mtu() const noexcept override { return tun_->mtu(); }
    void start(PacketHandler to_tunnel) override;
    void write(std::span<const std::uint8_t> ip_packet) override;
    void close() override;

  private:
    void wait_readable();
    void read_plain();
    void read_offloaded();
    void flush_writes();
    void write_to_kernel(std::span<const std::uint8_t> output);
    bool open() const { return stream_.has_value(); }

    asio::io_context& io_;
    std::unique_ptr<TunDevice> tun_;
    Logger logger_;
    std::optional<asio::posix::stream_descriptor> stream_;
    PacketHandler to_tunnel_;
    std::vector<std::uint8_t> read_buffer_;
    // With offloads: segments of a super-packet read from the TUN, and the packets for the TUN
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

// Opens TUNs through `tuns` (the Linux kernel's, or the fake's socketpairs in tests).
class TunPacketDeviceFactory final : public PacketDeviceFactory {
  public:
    explicit TunPacketDeviceFactory(TunDeviceFactory& tuns) : tuns_(tuns) {}
    Result<std::unique_ptr<PacketDevice>> open(asio::io_context& io, const TunOptions& options,
                                               Logger logger) override;

  private:
    TunDeviceFactory& tuns_;
};

}  // namespace vpnse::platform
