#pragma once
// TUN devices from /dev/net/tun (IFF_TUN | IFF_NO_PI): the fd carries bare IPv4/IPv6 packets, each
// behind a virtio_net_hdr with TunOptions::offload (IFF_VNET_HDR, TUNSETOFFLOAD; tun_offload.hpp).
#include "platform/tun_device.hpp"

namespace vpnse::platform {

class LinuxTunDeviceFactory final : public TunDeviceFactory {
  public:
    // `clone_device` is overridable for tests; the default is /dev/net/tun.
    explicit LinuxTunDeviceFactory(std::string clone_device = "/dev/net/tun")
        : clone_device_(std::move(clone_device)) {}
    Result<std::unique_ptr<TunDevice>> open(const TunOptions& options) override;

  private:
    std::string clone_device_;
};

}  // namespace vpnse::platform
