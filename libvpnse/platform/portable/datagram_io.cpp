// transport/datagram_io.hpp without batching system calls: one receive_from/send_to per datagram
// (Windows, the BSDs, macOS).
#include "transport/datagram_io.hpp"

namespace vpnse::transport {

std::size_t receive_datagrams(asio::ip::udp::socket& socket, std::span<ReceivedDatagram> slots,
                              asio::error_code& ec) {
    std::size_t count = 0;
    for (auto& slot : slots) {
        asio::error_code one;
        slot.size = socket.receive_from(asio::buffer(slot.bytes), slot.from, 0, one);
        if (one) {
            if (count == 0)
                ec = one;
            break;
        }
        ++count;
    }
    if (count > 0)
        ec.clear();
    return count;
}

std::size_t send_datagrams(asio::ip::udp::socket& socket, std::span<const OutgoingDatagram> datagrams,
                           asio::error_code& ec, DatagramSendState&) {
    std::size_t count = 0;
    for (const auto& datagram : datagrams) {
        socket.send_to(asio::buffer(datagram.bytes.data(), datagram.bytes.size()), datagram.to, 0, ec);
        if (ec)
            break;
        ++count;
    }
    return count;
}

}  // namespace vpnse::transport
