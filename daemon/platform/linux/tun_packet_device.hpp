#pragma once
// PacketDevice over a Linux TUN: the TunDevice owns the interface and its fd, libvpnse's tun::FdPump
// moves the packets (up to 64 per wake-up; with offloads, super-packets segmented on the way in and
// packets for the host merged GRO-style into one write per burst).
#include <memory>

#include "platform/packet_device.hpp"
#include "tun/fd_pump.hpp"

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
    std::unique_ptr<TunDevice> tun_;
    tun::FdPump pump_;  // declared after tun_: stops using the fd before the device closes it
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
