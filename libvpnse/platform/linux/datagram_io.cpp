// transport/datagram_io.hpp on Linux: recvmmsg/sendmmsg, up to kDatagramBatch messages per system call,
// and each run of equal-size datagrams to one destination as one message with UDP_SEGMENT (UDP GSO).
#include <netinet/udp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "transport/datagram_io.hpp"

namespace vpnse::transport {
namespace {
asio::error_code last_error() {
    return {errno, asio::error::get_system_category()};
}
}  // namespace

std::size_t receive_datagrams(asio::ip::udp::socket& socket, std::span<ReceivedDatagram> slots,
                              asio::error_code& ec) {
    std::array<mmsghdr, kDatagramBatch> headers{};
    std::array<iovec, kDatagramBatch> vectors{};
    const std::size_t want = std::min(slots.size(), kDatagramBatch);
    for (std::size_t i = 0; i < want; ++i) {
        vectors[i] = {slots[i].bytes.data(), slots[i].bytes.size()};
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
        headers[i].msg_hdr.msg_name = slots[i].from.data();
        headers[i].msg_hdr.msg_namelen = static_cast<socklen_t>(slots[i].from.capacity());
    }
    int got = 0;
    do {
        got = ::recvmmsg(socket.native_handle(), headers.data(), static_cast<unsigned>(want), MSG_DONTWAIT,
                         nullptr);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
        ec = last_error();
        return 0;
    }
    ec.clear();
    for (int i = 0; i < got; ++i) {
        auto& slot = slots[static_cast<std::size_t>(i)];
        const auto& header = headers[static_cast<std::size_t>(i)];
        slot.size = header.msg_len;
        // A datagram larger than the slot is cut: report its size as the slot's so the codec rejects it.
        if (header.msg_hdr.msg_flags & MSG_TRUNC)
            slot.size = slot.bytes.size();
        slot.from.resize(header.msg_hdr.msg_namelen);
    }
    return static_cast<std::size_t>(got);
}

namespace {

// UDP_MAX_SEGMENTS of the kernels before 6.x; newer ones allow more.
constexpr std::size_t kMaxSegments = 64;
// Below the largest UDP payload of either family (65507 for IPv4).
constexpr std::size_t kMaxSegmentedBytes = 65000;
// Datagram iovecs per sendmmsg: room for several full runs.
constexpr std::size_t kMaxVectors = 4 * kMaxSegments;

// The datagrams from `first` that can go as one GSO send: same destination, the first one's size, and at
// most one shorter datagram, last (the kernel cuts the run into first-size pieces).
std::size_t run_length(std::span<const OutgoingDatagram> datagrams, std::size_t first, std::size_t room,
                       const DatagramSendState& state) {
    const auto& head = datagrams[first];
    const std::size_t segment = head.bytes.size();
    if (!state.segmentation || segment > state.max_segment)
        return 1;
    std::size_t count = 1;
    std::size_t total = segment;
    while (first + count < datagrams.size() && count < std::min(kMaxSegments, room)) {
        const auto& next = datagrams[first + count];
        if (next.to != head.to || next.bytes.size() > segment ||
            total + next.bytes.size() > kMaxSegmentedBytes)
            break;
        total += next.bytes.size();
        ++count;
        if (next.bytes.size() < segment)
            break;
    }
    return count;
}

// Whether this kernel knows UDP_SEGMENT (4.18 and later); asked once per socket.
bool kernel_segments(int fd) {
    int size = 0;
    return ::setsockopt(fd, SOL_UDP, UDP_SEGMENT, &size, sizeof size) == 0;
}

}  // namespace

std::size_t send_datagrams(asio::ip::udp::socket& socket, std::span<const OutgoingDatagram> datagrams,
                           asio::error_code& ec, DatagramSendState& state) {
    const int fd = socket.native_handle();
    if (state.segmentation && !state.probed) {
        state.probed = true;
        state.segmentation = kernel_segments(fd);
    }
    std::size_t sent = 0;
    ec.clear();
    while (sent < datagrams.size()) {
        std::array<mmsghdr, kDatagramBatch> headers{};
        std::array<iovec, kMaxVectors> vectors{};
        std::array<std::size_t, kDatagramBatch> counts{};
        struct alignas(cmsghdr) Control {
            char bytes[CMSG_SPACE(sizeof(std::uint16_t))];
        };
        std::array<Control, kDatagramBatch> controls{};
        std::size_t messages = 0;
        std::size_t used = 0;
        for (std::size_t next = sent;
             next < datagrams.size() && messages < kDatagramBatch && used < kMaxVectors;) {
            const std::size_t count = run_length(datagrams, next, kMaxVectors - used, state);
            auto& header = headers[messages].msg_hdr;
            for (std::size_t i = 0; i < count; ++i) {
                const auto& datagram = datagrams[next + i];
                vectors[used + i] = {const_cast<std::uint8_t*>(datagram.bytes.data()), datagram.bytes.size()};
            }
            header.msg_iov = &vectors[used];
            header.msg_iovlen = count;
            header.msg_name = const_cast<sockaddr*>(datagrams[next].to.data());
            header.msg_namelen = static_cast<socklen_t>(datagrams[next].to.size());
            if (count > 1) {
                header.msg_control = controls[messages].bytes;
                header.msg_controllen = sizeof controls[messages].bytes;
                cmsghdr* control = CMSG_FIRSTHDR(&header);
                control->cmsg_level = SOL_UDP;
                control->cmsg_type = UDP_SEGMENT;
                control->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
                const auto segment = static_cast<std::uint16_t>(datagrams[next].bytes.size());
                std::memcpy(CMSG_DATA(control), &segment, sizeof segment);
            }
            counts[messages++] = count;
            used += count;
            next += count;
        }
        int done = 0;
        do {
            done = ::sendmmsg(fd, headers.data(), static_cast<unsigned>(messages), MSG_DONTWAIT);
        } while (done < 0 && errno == EINTR);
        if (done < 0) {
            if (counts[0] > 1 && (errno == EINVAL || errno == EMSGSIZE)) {
                // The run's datagrams are larger than the path's MTU minus the headers (they would be
                // fragmented, which GSO does not do): runs of this size go one by one from now on.
                state.max_segment = datagrams[sent].bytes.size() - 1;
                continue;
            }
            if (counts[0] > 1 && (errno == EIO || errno == ENOPROTOOPT || errno == EOPNOTSUPP)) {
                state.segmentation = false;  // no checksum offload on the route's device, or no GSO
                continue;
            }
            ec = last_error();
            return sent;
        }
        for (int i = 0; i < done; ++i)
            sent += counts[static_cast<std::size_t>(i)];
        // sendmmsg stops short at an error it reports only on the next call: let that call say which.
    }
    return sent;
}

}  // namespace vpnse::transport
