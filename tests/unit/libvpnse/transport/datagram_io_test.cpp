// transport/datagram_io over loopback: whatever the platform batches (Linux: sendmmsg with runs of equal
// datagrams segmented by the kernel, UDP GSO), every datagram arrives whole, in order, with its size.
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "transport/datagram_io.hpp"

using namespace vpnse;
using namespace vpnse::transport;

namespace {

asio::ip::udp::socket loopback_socket(asio::io_context& io) {
    asio::ip::udp::socket socket(io, asio::ip::udp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
    socket.non_blocking(true);
    socket.set_option(asio::socket_base::receive_buffer_size(4 << 20));
    return socket;
}

// Datagram i: its size, then bytes that name it, so a reordered or cut datagram shows.
Bytes datagram(std::size_t i, std::size_t size) {
    Bytes bytes(size);
    for (std::size_t b = 0; b < size; ++b)
        bytes[b] = static_cast<std::uint8_t>(i * 7 + b);
    return bytes;
}

}  // namespace

TEST_CASE("datagram I/O: runs of equal sizes, shorter tails and odd sizes all arrive whole and in order") {
    asio::io_context io;
    auto sender = loopback_socket(io);
    auto receiver = loopback_socket(io);
    const auto to = receiver.local_endpoint();

    std::vector<std::size_t> sizes;
    sizes.insert(sizes.end(), 50, 1465);  // a bulk transfer's full frames: one run (then more)
    sizes.push_back(700);                 // a shorter tail closes a run
    sizes.push_back(1465);
    sizes.insert(sizes.end(), 80, 160);  // a 64-byte flood's datagrams
    for (std::size_t s = 60; s < 260; s += 13)
        sizes.push_back(s);             // every size different: no runs
    sizes.insert(sizes.end(), 70, 96);  // longer than one run (64 segments)
    std::vector<Bytes> payloads;
    std::vector<OutgoingDatagram> outgoing;
    for (std::size_t i = 0; i < sizes.size(); ++i)
        payloads.push_back(datagram(i, sizes[i]));
    for (const auto& p : payloads)
        outgoing.push_back({ByteSpan(p), to});

    DatagramSendState state;
    std::span<const OutgoingDatagram> left(outgoing);
    std::vector<std::pair<std::size_t, Bytes>> received;
    std::vector<ReceivedDatagram> slots(kDatagramBatch);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (received.size() < sizes.size() && std::chrono::steady_clock::now() < deadline) {
        if (!left.empty()) {
            asio::error_code ec;
            left = left.subspan(send_datagrams(sender, left, ec, state));
            if (ec && ec != asio::error::would_block && ec != asio::error::try_again)
                FAIL("send_datagrams: " << ec.message());
        }
        asio::error_code ec;
        const auto count = receive_datagrams(receiver, slots, ec);
        for (std::size_t i = 0; i < count; ++i)
            received.emplace_back(slots[i].size,
                                  Bytes(slots[i].bytes.begin(),
                                        slots[i].bytes.begin() + static_cast<std::ptrdiff_t>(slots[i].size)));
        if (count == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    REQUIRE(received.size() == sizes.size());
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        INFO("datagram " << i);
        CHECK(received[i].first == sizes[i]);
        CHECK(received[i].second == payloads[i]);
    }
#ifdef __linux__
    CHECK(state.segmentation);  // loopback takes segmented sends: nothing made the sender give them up
    CHECK(state.max_segment == SIZE_MAX);
#endif
}
