#include "platform/linux/tun_packet_device.hpp"

#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <asio/post.hpp>
#include <cerrno>

namespace vpnse::platform {
namespace {

// Packets read from the TUN per wake-up before yielding to other work on the loop.
constexpr int kMaxPacketsPerWake = 64;
// With offloads one read can give ~45 segments: also stop after this many.
constexpr std::size_t kMaxSegmentsPerWake = 256;

}  // namespace

TunPacketDevice::TunPacketDevice(asio::io_context& io, std::unique_ptr<TunDevice> tun, Logger logger)
    : io_(io),
      tun_(std::move(tun)),
      logger_(std::move(logger)),
      // An IPv6 super-packet may be 40 bytes more than 64 KiB.
      read_buffer_(kVirtioNetHdrSize + kMaxOffloadPacket + 40) {
    counted_to_tunnel_ = [this](std::span<const std::uint8_t> packet) {
        ++segments_this_wake_;
        if (to_tunnel_)
            to_tunnel_(packet);
    };
    to_kernel_ = [this](std::span<const std::uint8_t> output) { write_to_kernel(output); };
    if (tun_->offload()) {
        // Segments never exceed the MTU: the kernel sizes TSO/USO segments for the device.
        segment_buffer_.resize(std::max<std::size_t>(tun_->mtu(), 1500) + 256);
        write_batch_.set_coalesce(true);
    } else {
        logger_.info("TUN offloads not available; one packet per read and write",
                     {{"interface", tun_->name()}});
    }
    stream_.emplace(io_, tun_->fd());
}

TunPacketDevice::~TunPacketDevice() {
    *alive_ = false;
    close();
}

void TunPacketDevice::start(PacketHandler to_tunnel) {
    to_tunnel_ = std::move(to_tunnel);
    wait_readable();
}

void TunPacketDevice::close() {
    if (stream_) {
        asio::error_code ignored;
        stream_->cancel(ignored);
        stream_->release();  // the TunDevice owns the fd
        stream_.reset();
    }
    write_batch_.clear();  // packets for a TUN that is going away
    tun_->close();
}

void TunPacketDevice::wait_readable() {
    if (!open())
        return;
    stream_->async_wait(asio::posix::stream_descriptor::wait_read,
                        [this, alive = std::weak_ptr<bool>(alive_)](const asio::error_code& ec) {
                            if (ec || alive.expired() || !open())
                                return;
                            if (tun_->offload())
                                read_offloaded();
                            else
                                read_plain();
                            wait_readable();
                        });
}

void TunPacketDevice::read_plain() {
    for (int i = 0; i < kMaxPacketsPerWake && open(); ++i) {
        const ssize_t n = ::read(tun_->fd(), read_buffer_.data(), read_buffer_.size());
        if (n <= 0)
            break;
        to_tunnel_({read_buffer_.data(), static_cast<std::size_t>(n)});
    }
}

void TunPacketDevice::read_offloaded() {
    segments_this_wake_ = 0;
    for (int i = 0; i < kMaxPacketsPerWake && segments_this_wake_ < kMaxSegmentsPerWake && open(); ++i) {
        const ssize_t n = ::read(tun_->fd(), read_buffer_.data(), read_buffer_.size());
        if (n <= 0)
            break;
        if (static_cast<std::size_t>(n) <= kVirtioNetHdrSize)
            continue;
        const auto hdr = VirtioNetHdr::decode(read_buffer_.data());
        const auto error = segment_packet(
            hdr, {read_buffer_.data() + kVirtioNetHdrSize, static_cast<std::size_t>(n) - kVirtioNetHdrSize},
            segment_buffer_, counted_to_tunnel_);
        if (error != OffloadError::ok && (read_errors_++ == 0 || logger_.enabled(LogLevel::debug))) {
            // Dropped, as a NIC drops what it cannot send; the first one says why.
            logger_.log(
                read_errors_ == 1 ? LogLevel::warn : LogLevel::debug, "dropped a packet from the TUN",
                {{"error", std::string(to_string(error))}, {"gso_type", std::to_string(hdr.gso_type)}});
        }
    }
}

void TunPacketDevice::write(std::span<const std::uint8_t> packet) {
    if (!open())
        return;
    if (!tun_->offload()) {
        // Non-blocking: when the kernel queue is full the packet is dropped, as a NIC would.
        (void)::write(tun_->fd(), packet.data(), packet.size());
        return;
    }
    // Every packet the client decodes from one server read joins one batch, written after the burst.
    write_batch_.add(packet);
    if (write_batch_.full()) {
        flush_writes();
    } else if (!flush_posted_) {
        flush_posted_ = true;
        asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
            if (alive.expired())
                return;
            flush_posted_ = false;
            flush_writes();
        });
    }
}

void TunPacketDevice::flush_writes() {
    if (!open()) {
        write_batch_.clear();
        return;
    }
    write_batch_.flush(to_kernel_);
}

void TunPacketDevice::write_to_kernel(std::span<const std::uint8_t> output) {
    // One write(2) per output; when the kernel queue is full it is dropped, as a NIC would.
    if (::write(tun_->fd(), output.data(), output.size()) >= 0 || errno != EINVAL ||
        output[1] == kVnetGsoNone)
        return;
    // The kernel refused a super-packet: stop merging and write this one as its segments.
    if (write_batch_.coalesce()) {
        logger_.warn("the kernel refused a coalesced TUN write; writing packets one by one");
        write_batch_.set_coalesce(false);
    }
    refused_.assign(output.begin() + kVirtioNetHdrSize, output.end());
    std::uint8_t plain[kVirtioNetHdrSize] = {};
    (void)segment_packet(VirtioNetHdr::decode(output.data()), refused_, segment_buffer_,
                         [this, &plain](std::span<const std::uint8_t> segment) {
                             iovec parts[2] = {{plain, sizeof plain},
                                               {const_cast<std::uint8_t*>(segment.data()), segment.size()}};
                             (void)::writev(tun_->fd(), parts, 2);
                         });
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
