// tun::FdPump over a SOCK_SEQPACKET pair, which keeps packet boundaries as a TUN fd does (no vnet
// header: the IFF_NO_PI shape apps attach). The vnet-header path is exercised against a real TUN by
// tests/unit/daemon/platform/tun_offload_test.cpp.
#include "tun/fd_pump.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "tun/unique_fd.hpp"

namespace {

using vpnse::tun::FdPump;
using vpnse::tun::UniqueFd;
using Bytes = std::vector<std::uint8_t>;

struct Pair {
    UniqueFd pump_side, peer;
    Pair() {
        int fds[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) == 0);
        pump_side = UniqueFd(fds[0]);
        peer = UniqueFd(fds[1]);
    }
};

Bytes packet(std::uint8_t tag, std::size_t size = 60) {
    Bytes p(size, tag);
    p[0] = 0x45;
    return p;
}

void run_until(asio::io_context& io, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        io.restart();
        io.run_for(std::chrono::milliseconds(10));
    }
}

}  // namespace

TEST_CASE("FdPump hands every packet read from the fd to the handler, one packet per read") {
    asio::io_context io;
    Pair pair;
    FdPump pump(io, pair.pump_side.get(), {}, {});
    CHECK((::fcntl(pair.pump_side.get(), F_GETFL) & O_NONBLOCK) != 0);
    std::vector<Bytes> got;
    pump.start([&](std::span<const std::uint8_t> p) { got.emplace_back(p.begin(), p.end()); });
    for (std::uint8_t tag = 1; tag <= 100; ++tag) {
        const auto p = packet(tag, 40 + tag);
        REQUIRE(::write(pair.peer.get(), p.data(), p.size()) == static_cast<ssize_t>(p.size()));
    }
    run_until(io, [&] { return got.size() == 100; });
    REQUIRE(got.size() == 100);
    for (std::uint8_t tag = 1; tag <= 100; ++tag)
        CHECK(got[tag - 1] == packet(tag, 40 + tag));
}

TEST_CASE("FdPump writes each packet for the host as one write") {
    asio::io_context io;
    Pair pair;
    FdPump pump(io, pair.pump_side.get(), {}, {});
    pump.start([](std::span<const std::uint8_t>) {});
    pump.write(packet(7));
    pump.write(packet(8, 1400));
    std::uint8_t buffer[2048];
    CHECK(::read(pair.peer.get(), buffer, sizeof buffer) == 60);
    CHECK(buffer[1] == 7);
    CHECK(::read(pair.peer.get(), buffer, sizeof buffer) == 1400);
    CHECK(buffer[1] == 8);
}

TEST_CASE("FdPump may be destroyed by its own handler, and close() leaves the fd open") {
    asio::io_context io;
    Pair pair;
    auto pump = std::make_unique<FdPump>(io, pair.pump_side.get(), FdPump::Options{}, vpnse::Logger{});
    int calls = 0;
    pump->start([&](std::span<const std::uint8_t>) {
        ++calls;
        pump.reset();
    });
    for (std::uint8_t tag = 1; tag <= 3; ++tag) {
        const auto p = packet(tag);
        REQUIRE(::write(pair.peer.get(), p.data(), p.size()) == static_cast<ssize_t>(p.size()));
    }
    run_until(io, [&] { return calls > 0; });
    io.restart();
    io.run_for(std::chrono::milliseconds(50));
    CHECK(calls == 1);
    CHECK(::fcntl(pair.pump_side.get(), F_GETFD) != -1);

    FdPump second(io, pair.pump_side.get(), {}, {});
    second.start([](std::span<const std::uint8_t>) {});
    second.close();
    CHECK_FALSE(second.open());
    second.write(packet(9));  // dropped: closed
    CHECK(::fcntl(pair.pump_side.get(), F_GETFD) != -1);
}
