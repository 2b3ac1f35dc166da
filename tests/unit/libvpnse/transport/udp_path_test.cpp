#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <catch2/catch.hpp>

#include "support/skip.hpp"
#include "transport/udp_path.hpp"

using namespace vpnse;
using namespace vpnse::transport;
using namespace std::chrono_literals;

namespace {
// The server's side of the path, on a loopback socket: the same state machine with keys and cookies
// the other way round (softether-protocol-advanced.md 1.5.6).
struct LoopbackServer {
    asio::ip::udp::socket socket;
    proto::UdpAccelAnswer answer;
    std::optional<session::UdpAccel> accel;

    LoopbackServer(asio::io_context& io, const proto::UdpAccelOffer& offer, RandomSource& rng,
                   const std::string& address = "127.0.0.1")
        : socket(io, asio::ip::udp::endpoint(asio::ip::make_address(address), 0)) {
        answer.version = 2;
        answer.server_ip = *IpAddress::parse(address);
        answer.server_port = socket.local_endpoint().port();
        answer.key_v2.fill(0x5e);
        answer.server_cookie = 0x1111;
        answer.client_cookie = 0x2222;
        answer.fast_detect = true;
        session::UdpAccelParams params;
        params.own_key.assign(answer.key_v2.begin(), answer.key_v2.end());
        params.peer_key.assign(offer.key_v2.begin(), offer.key_v2.end());
        params.send_cookie = answer.client_cookie;
        params.receive_cookie = answer.server_cookie;
        auto made = session::UdpAccel::create(params, rng, Clock::now());
        REQUIRE(made.ok());
        accel.emplace(std::move(made).value());
    }

    // Waits for the client's next datagram, checks it is a keep-alive, and returns where it came from.
    asio::ip::udp::endpoint expect_keepalive() {
        std::array<std::uint8_t, 2048> buffer{};
        asio::ip::udp::endpoint from;
        const auto size = socket.receive_from(asio::buffer(buffer), from);
        CHECK(accel->receive(ByteSpan(buffer.data(), size), Clock::now()).verdict ==
              session::UdpAccel::Verdict::keepalive);
        return from;
    }
};

// A path with its socket open (no protect hook), as the session has it when it sends the login.
std::shared_ptr<UdpPath> opened_path(asio::io_context& io, RandomSource& rng, const asio::ip::udp& protocol) {
    auto path = std::make_shared<UdpPath>(io, rng, Logger());
    REQUIRE(path->open(protocol, {}).ok());
    return path;
}
}  // namespace

TEST_CASE("the UDP socket goes through the protect hook before the login, with fresh keys") {
    asio::io_context io;
    SeededRandom rng(2);
    auto path = std::make_shared<UdpPath>(io, rng, Logger());
    std::intptr_t protected_socket = -1;
    REQUIRE(path->open(asio::ip::udp::v4(),
                       [&](std::intptr_t s) -> Status {
                           protected_socket = s;
                           return {};
                       })
                .ok());
    CHECK(protected_socket >= 0);
    CHECK(path->offer().client_port != 0);
    CHECK(path->offer().key_v2 != std::array<std::uint8_t, 128>{});
    CHECK(path->status().offered);
    CHECK_FALSE(path->status().supported);

    auto refused = std::make_shared<UdpPath>(io, rng, Logger());
    CHECK_FALSE(refused
                    ->open(asio::ip::udp::v4(),
                           [](std::intptr_t) -> Status { return Error(ErrorCode::permission_denied, "no"); })
                    .ok());
}

TEST_CASE("keep-alives reach the server at once; its frames come up; data waits for a proven path") {
    asio::io_context io;
    SeededRandom rng(3);
    auto path = opened_path(io, rng, asio::ip::udp::v4());
    LoopbackServer server(io, path->offer(), rng);

    Bytes received_frame;
    REQUIRE(path->start(server.answer, asio::ip::make_address_v4("127.0.0.1"),
                        [&](ByteSpan frame) { received_frame.assign(frame.begin(), frame.end()); })
                .ok());
    CHECK(path->status().supported);
    CHECK(path->status().version == 2);

    // The client's first keep-alive, sent from start(), opens with the client's key and our cookie.
    const auto from = server.expect_keepalive();
    CHECK(from.port() == path->offer().client_port);

    // A frame from the server arrives through the socket.
    const Bytes frame(100, 0xab);
    Bytes datagram;
    server.accel->seal_frame(frame, Clock::now(), datagram);
    server.socket.send_to(asio::buffer(datagram), from);
    for (int i = 0; i < 100 && received_frame.empty(); ++i)
        io.run_for(10ms);
    CHECK(received_frame == frame);
    CHECK(path->status().frames_received == 1);
    // Liveness is proven (the server echoed our tick) but not yet for 10 s: frames go over TCP.
    CHECK_FALSE(path->send_frame(frame));
    CHECK_FALSE(path->status().active);
    path->close();
}

TEST_CASE("over IPv6 the offer says :: and keep-alives go to the server's IPv6 address (1.4)") {
    asio::io_context io;
    SeededRandom rng(4);
    auto path = opened_path(io, rng, asio::ip::udp::v6());
    CHECK(path->offer().client_ip == *IpAddress::parse("::"));
    std::optional<LoopbackServer> server;
    try {
        server.emplace(io, path->offer(), rng, "::1");
    } catch (const std::exception& e) {
        VPNSE_SKIP_OR_FAIL(std::string("no IPv6 loopback here: ") + e.what());
    }
    REQUIRE(path->start(server->answer, asio::ip::make_address_v6("::1"), [](ByteSpan) {}).ok());
    const auto from = server->expect_keepalive();
    CHECK(from.address() == asio::ip::make_address_v6("::1"));
    CHECK(from.port() == path->offer().client_port);
    path->close();
}

TEST_CASE("a reported address of the other family is not reachable: the TCP peer is used instead") {
    asio::io_context io;
    SeededRandom rng(5);
    auto path = opened_path(io, rng, asio::ip::udp::v4());
    LoopbackServer server(io, path->offer(), rng);
    auto answer = server.answer;
    answer.server_ip = *IpAddress::parse("fd77::1");
    REQUIRE(path->start(answer, asio::ip::make_address_v4("127.0.0.1"), [](ByteSpan) {}).ok());
    server.expect_keepalive();  // at the TCP peer, 127.0.0.1
    path->close();
}
