#include "tun/fd_pump.hpp"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <asio/post.hpp>
#include <cerrno>

namespace vpnse::tun {
namespace {

// Packets read from the TUN per wake-up before yielding to other work on the loop.
constexpr int kMaxPacketsPerWake = 64;
// With offloads one read can give ~45 segments: also stop after this many.
constexpr std::size_t kMaxSegmentsPerWake = 256;

}  // namespace

FdPump::FdPump(asio::io_context& io, int fd, Options options, Logger logger)
    : io_(io),
      fd_(fd),
      options_(options),
      logger_(std::move(logger)),
      // An IPv6 super-packet may be 40 bytes more than 64 KiB.
      read_buffer_(kVirtioNetHdrSize + kMaxOffloadPacket + 40) {
    counted_to_tunnel_ = [this](std::span<const std::uint8_t> packet) {
        ++segments_this_wake_;
        if (to_tunnel_)
            to_tunnel_(packet);
    };
    to_kernel_ = [this](std::span<const std::uint8_t> output) { write_to_kernel(output); };
    if (options_.vnet_hdr) {
        // Segments never exceed the MTU: the kernel sizes TSO/USO segments for the device.
        segment_buffer_.resize(std::max<std::uint32_t>(options_.mtu, 1500) + 256);
        write_batch_.set_coalesce(true);
    }
    // Reads happen until EAGAIN; a blocking fd would stall the loop.
    if (const int flags = ::fcntl(fd_, F_GETFL); flags >= 0 && (flags & O_NONBLOCK) == 0)
        (void)::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
    stream_.emplace(io_, fd_);
}

FdPump::~FdPump() {
    *alive_ = false;
    close();
}

void FdPump::start(PacketHandler to_tunnel) {
    to_tunnel_ = std::move(to_tunnel);
    wait_readable();
}

void FdPump::close() {
    if (stream_) {
        asio::error_code ignored;
        stream_->cancel(ignored);
        stream_->release();  // the fd belongs to the caller
        stream_.reset();
    }
    write_batch_.clear();  // packets for a TUN that is going away
}

void FdPump::wait_readable() {
    if (!open())
        return;
    stream_->async_wait(asio::posix::stream_descriptor::wait_read,
                        [this, alive = std::weak_ptr<bool>(alive_)](const asio::error_code& ec) {
                            if (ec || alive.expired() || !open())
                                return;
                            if (options_.vnet_hdr)
                                read_offloaded();
                            else
                                read_plain();
                            // The handler may have destroyed the pump.
                            if (!alive.expired())
                                wait_readable();
                        });
}

void FdPump::read_plain() {
    const auto alive = std::weak_ptr<bool>(alive_);
    for (int i = 0; i < kMaxPacketsPerWake && !alive.expired() && open(); ++i) {
        const ssize_t n = ::read(fd_, read_buffer_.data(), read_buffer_.size());
        if (n <= 0)
            break;
        to_tunnel_({read_buffer_.data(), static_cast<std::size_t>(n)});
    }
}

void FdPump::read_offloaded() {
    const auto alive = std::weak_ptr<bool>(alive_);
    segments_this_wake_ = 0;
    for (int i = 0;
         i < kMaxPacketsPerWake && segments_this_wake_ < kMaxSegmentsPerWake && !alive.expired() && open();
         ++i) {
        const ssize_t n = ::read(fd_, read_buffer_.data(), read_buffer_.size());
        if (n <= 0)
            break;
        if (static_cast<std::size_t>(n) <= kVirtioNetHdrSize)
            continue;
        const auto hdr = VirtioNetHdr::decode(read_buffer_.data());
        const auto error = segment_packet(
            hdr, {read_buffer_.data() + kVirtioNetHdrSize, static_cast<std::size_t>(n) - kVirtioNetHdrSize},
            segment_buffer_, counted_to_tunnel_);
        if (alive.expired())
            return;
        if (error != OffloadError::ok && (read_errors_++ == 0 || logger_.enabled(LogLevel::debug))) {
            // Dropped, as a NIC drops what it cannot send; the first one says why.
            logger_.log(
                read_errors_ == 1 ? LogLevel::warn : LogLevel::debug, "dropped a packet from the TUN",
                {{"error", std::string(to_string(error))}, {"gso_type", std::to_string(hdr.gso_type)}});
        }
    }
}

void FdPump::write(std::span<const std::uint8_t> packet) {
    if (!open())
        return;
    if (!options_.vnet_hdr) {
        // Non-blocking: when the kernel queue is full the packet is dropped, as a NIC would.
        (void)::write(fd_, packet.data(), packet.size());
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

void FdPump::flush_writes() {
    if (!open()) {
        write_batch_.clear();
        return;
    }
    write_batch_.flush(to_kernel_);
}

void FdPump::write_to_kernel(std::span<const std::uint8_t> output) {
    // One write(2) per output; when the kernel queue is full it is dropped, as a NIC would.
    if (::write(fd_, output.data(), output.size()) >= 0 || errno != EINVAL || output[1] == kVnetGsoNone)
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
                             (void)::writev(fd_, parts, 2);
                         });
}

}  // namespace vpnse::tun
