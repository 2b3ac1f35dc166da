#include "platform/linux/tun_packet_device.hpp"

namespace vpnse::platform {
namespace {

Logger announce_offloads(const TunDevice& tun, Logger logger) {
    if (!tun.offload())
        logger.info("TUN offloads not available; one packet per read and write", {{"interface", tun.name()}});
    return logger;
}

}  // namespace

TunPacketDevice::TunPacketDevice(asio::io_context& io, std::unique_ptr<TunDevice> tun, Logger logger)
    : tun_(std::move(tun)),
      pump_(io, tun_->fd(), {tun_->offload(), tun_->mtu()}, announce_offloads(*tun_, std::move(logger))) {}

TunPacketDevice::~TunPacketDevice() {
    close();
}

void TunPacketDevice::start(PacketHandler to_tunnel) {
    pump_.start(std::move(to_tunnel));
}

void TunPacketDevice::write(std::span<const std::uint8_t> packet) {
    pump_.write(packet);
}

void TunPacketDevice::close() {
    pump_.close();
    tun_->close();
}

Result<std::unique_ptr<PacketDevice>> TunPacketDeviceFactory::open(asio::io_context& io,
                                                                   const TunOptions& options, Logger logger) {
    auto tun = tuns_.open(options);
    if (!tun)
        return std::move(tun).error();
    return std::unique_ptr<PacketDevice>(
        std::make_unique<TunPacketDevice>(io, std::move(tun).value(), std::move(logger)));
}

}  // namespace vpnse::platform
