#pragma once
// Many datagrams per system call on one non-blocking UDP socket: recvmmsg/sendmmsg (and UDP GSO) on Linux,
// one receive_from/send_to per datagram elsewhere (the file is chosen in libvpnse/CMakeLists.txt). The UDP
// acceleration path moves one Ethernet frame per datagram, so at a gigabit the per-call cost is the
// bottleneck, not the bytes.
#include <array>
#include <asio/ip/udp.hpp>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/bytes.hpp"

namespace vpnse::transport {

// Room for any datagram the UDP acceleration sends (its limit is below 1600 bytes) with margin.
inline constexpr std::size_t kDatagramCapacity = 2048;
// Datagrams per system call: a burst of a 1 Gbit/s flow between two wake-ups fits.
inline constexpr std::size_t kDatagramBatch = 64;

struct ReceivedDatagram {
    std::array<std::uint8_t, kDatagramCapacity> bytes{};
    std::size_t size = 0;
    asio::ip::udp::endpoint from;
};

struct OutgoingDatagram {
    ByteSpan bytes;
    asio::ip::udp::endpoint to;
};

// Fills slots.front() onwards with the datagrams already waiting (at most slots.size()) and returns how
// many. 0 with `ec` clear never happens: no datagram waiting sets would_block/try_again; any other `ec`
// is the socket's error. Fewer than slots.size() means nothing more was waiting when the call returned.
std::size_t receive_datagrams(asio::ip::udp::socket& socket, std::span<ReceivedDatagram> slots,
                              asio::error_code& ec);

// Per socket: whether runs of equal-size datagrams still go out as one UDP GSO send (Linux's UDP_SEGMENT:
// the stack is walked once per run, not per datagram). Off for good once the kernel refuses it.
struct DatagramSendState {
    bool segmentation = true;
    bool probed = false;  // whether the kernel was asked if it segments
    // Larger runs were refused (they exceed the path MTU): datagrams of this size and below only.
    std::size_t max_segment = SIZE_MAX;
};

// Sends the datagrams in order and returns how many left; stops at the first error (in `ec`), e.g. a full
// socket buffer, which the caller may treat as loss, as UDP may.
std::size_t send_datagrams(asio::ip::udp::socket& socket, std::span<const OutgoingDatagram> datagrams,
                           asio::error_code& ec, DatagramSendState& state);

}  // namespace vpnse::transport
