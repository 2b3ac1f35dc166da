// run_proxy_handshake over real loopback sockets: the proxy's side is played by the test.
#include "transport/proxy_tunnel.hpp"

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <catch2/catch.hpp>
#include <optional>

using namespace vpnse;
using namespace std::chrono_literals;

namespace {

struct Loopback {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor{io, asio::ip::tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0)};
    asio::ip::tcp::socket client{io};
    asio::ip::tcp::socket proxy{io};
    std::optional<Error> result;

    Loopback() {
        client.connect(acceptor.local_endpoint());
        acceptor.accept(proxy);
    }
    void start(const proto::ProxyServer& server) {
        auto handshake = proto::make_proxy_handshake(server, transport::proxy_target("10.250.1.1", 443));
        REQUIRE(handshake.ok());
        transport::run_proxy_handshake(client, std::move(handshake).value(), "proxy 127.0.0.1",
                                       [this](Error error) { result = std::move(error); });
    }
    // The proxy reads exactly `n` bytes of the client's request.
    Bytes expect(std::size_t n) {
        Bytes got(n);
        io.restart();
        io.run_for(20ms);
        asio::read(proxy, asio::buffer(got));
        return got;
    }
    void answer(const Bytes& bytes) {
        asio::write(proxy, asio::buffer(bytes));
        for (int i = 0; i < 20 && !result; ++i) {
            io.restart();
            io.run_for(5ms);
        }
    }
};

const proto::ProxyServer kSocks{proto::ProxyType::socks5, "127.0.0.1", 1080, {}, {}};

}  // namespace

TEST_CASE("proxy tunnel: the target of an address literal carries its bytes") {
    CHECK(transport::proxy_target("10.250.1.1", 443).address == Bytes{10, 250, 1, 1});
    CHECK(transport::proxy_target("fd00::1", 443).address.size() == 16);
    CHECK(transport::proxy_target("vpn.example.com", 443).address.empty());
}

TEST_CASE("proxy tunnel: a SOCKS5 exchange over a socket ends with no error") {
    Loopback l;
    l.start(kSocks);
    CHECK(l.expect(3) == Bytes{5, 1, 0});
    l.answer({5, 0});
    CHECK(l.expect(10) == Bytes{5, 1, 0, 1, 10, 250, 1, 1, 0x01, 0xbb});
    CHECK_FALSE(l.result);
    l.answer({5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
    REQUIRE(l.result);
    CHECK_FALSE(*l.result);
}

TEST_CASE("proxy tunnel: the proxy hanging up or talking past its reply is an error") {
    SECTION("hang-up") {
        Loopback l;
        l.start(kSocks);
        l.expect(3);
        l.proxy.close();
        l.answer({});
        REQUIRE(l.result);
        CHECK(l.result->code() == ErrorCode::connect_failed);
        CHECK(l.result->message() == "proxy 127.0.0.1 closed the connection during its handshake");
    }
    SECTION("bytes after the reply") {
        Loopback l;
        l.start(kSocks);
        l.expect(3);
        l.answer({5, 0});
        l.expect(10);
        l.answer({5, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x16});
        REQUIRE(l.result);
        CHECK(l.result->code() == ErrorCode::protocol_error);
    }
    SECTION("a refusal") {
        Loopback l;
        l.start(kSocks);
        l.expect(3);
        l.answer({5, 0xff});
        REQUIRE(l.result);
        CHECK(l.result->code() == ErrorCode::auth_failed);
    }
}
