#pragma once
// A layer-3 TUN interface. The daemon reads and writes raw IP packets (no packet-info header) on
// fd(), each behind a 10-byte virtio_net_hdr when offload() is on; everything else about the link
// (addresses, routes, DNS) is the NetworkConfigurator's job.
#include <cstdint>
#include <memory>
#include <string>

#include "vpnse/result.hpp"

namespace vpnse::platform {

struct TunOptions {
    // Requested interface name; empty lets the platform pick one ("vpnse%d" on Linux).
    std::string name;
    std::uint32_t mtu = 1500;
    // Linux IFF_MULTI_QUEUE: more fds can be attached later for parallel readers.
    bool multi_queue = false;
    // Linux IFF_VNET_HDR + TUNSETOFFLOAD (checksum, TSO, and USO where the kernel has it): every read
    // and write on fd() then starts with a virtio_net_hdr (libvpnse/tun/offload.hpp), reads may
    // return TCP/UDP super-packets of up to 64 KiB to segment, and writes may carry coalesced ones, so
    // the kernel's per-packet work runs once per 64 KiB. A kernel that refuses the offloads gives a
    // plain device: check TunDevice::offload().
    bool offload = false;
};

class TunDevice {
  public:
    virtual ~TunDevice() = default;
    // Non-blocking, close-on-exec; -1 after close(). Owned by the device: do not close it yourself.
    virtual int fd() const noexcept = 0;
    virtual const std::string& name() const noexcept = 0;
    virtual int ifindex() const noexcept = 0;
    virtual std::uint32_t mtu() const noexcept = 0;
    // True when fd() carries virtio_net_hdr-framed packets (TunOptions::offload was granted).
    virtual bool offload() const noexcept { return false; }
    // Closing the last fd removes a non-persistent device, and with it every address and route on it.
    virtual void close() noexcept = 0;
};

class TunDeviceFactory {
  public:
    virtual ~TunDeviceFactory() = default;
    // Errors: permission_denied (no CAP_NET_ADMIN), already_exists (name in use by a non-TUN
    // link), io_error.
    virtual Result<std::unique_ptr<TunDevice>> open(const TunOptions& options) = 0;
};

}  // namespace vpnse::platform
