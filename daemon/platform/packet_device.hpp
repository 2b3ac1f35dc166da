#pragma once
// The tunnel's device as the OS-neutral tunnel sees it: IP packets in, IP packets out, in bursts.
// How they cross into the kernel (a Linux TUN with virtio offload headers, Wintun's ring, macOS utun's
// family prefix) is the backend's business.
#include <asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "platform/tun_device.hpp"
#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform {

using PacketHandler = std::function<void(std::span<const std::uint8_t> ip_packet)>;

class PacketDevice {
  public:
    virtual ~PacketDevice() = default;
    virtual const std::string& name() const noexcept = 0;
    virtual int ifindex() const noexcept = 0;
    virtual std::uint32_t mtu() const noexcept = 0;
    // Starts reading: each IP packet the host sends into the tunnel goes to `to_tunnel`, on the
    // io_context thread, a burst at a time. The handler may close() the device.
    virtual void start(PacketHandler to_tunnel) = 0;
    // One IP packet for the host. Devices may gather a burst and write it once the burst is over; a
    // packet the kernel has no room for is dropped, as a NIC drops it.
    virtual void write(std::span<const std::uint8_t> ip_packet) = 0;
    // Stops reading and drops what was not written yet; the device (and what the OS put on it) goes.
    virtual void close() = 0;
};

class PacketDeviceFactory {
  public:
    virtual ~PacketDeviceFactory() = default;
    // Errors as TunDeviceFactory::open.
    virtual Result<std::unique_ptr<PacketDevice>> open(asio::io_context& io, const TunOptions& options,
                                                       Logger logger) = 0;
};

}  // namespace vpnse::platform
