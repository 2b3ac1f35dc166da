// transport/datagram_io.hpp on Linux: recvmmsg/sendmmsg, up to kDatagramBatch datagrams per system call.
#include <sys/socket.h>

#include <algorithm>

#include <cerrno>

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

std::size_t send_datagrams(asio::ip::udp::socket& socket, std::span<const OutgoingDatagram> datagrams,
                           asio::error_code& ec) {
    std::size_t sent = 0;
    ec.clear();
    while (sent < datagrams.size()) {
        std::array<mmsghdr, kDatagramBatch> headers{};
        std::array<iovec, kDatagramBatch> vectors{};
        const std::size_t chunk = std::min(datagrams.size() - sent, kDatagramBatch);
        for (std::size_t i = 0; i < chunk; ++i) {
            const auto& datagram = datagrams[sent + i];
            vectors[i] = {const_cast<std::uint8_t*>(datagram.bytes.data()), datagram.bytes.size()};
            headers[i].msg_hdr.msg_iov = &vectors[i];
            headers[i].msg_hdr.msg_iovlen = 1;
            headers[i].msg_hdr.msg_name = const_cast<sockaddr*>(datagram.to.data());
            headers[i].msg_hdr.msg_namelen = static_cast<socklen_t>(datagram.to.size());
        }
        int done = 0;
        do {
            done = ::sendmmsg(socket.native_handle(), headers.data(), static_cast<unsigned>(chunk),
                              MSG_DONTWAIT);
        } while (done < 0 && errno == EINTR);
        if (done < 0) {
            ec = last_error();
            return sent;
        }
        sent += static_cast<std::size_t>(done);
        if (static_cast<std::size_t>(done) < chunk) {
            // sendmmsg stops short at an error it reports only on the next call: let that call say which.
            continue;
        }
    }
    return sent;
}

}  // namespace vpnse::transport
