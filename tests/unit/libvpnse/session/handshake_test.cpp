#include <catch2/catch.hpp>

#include "session/handshake.hpp"

using namespace vpnse;
using namespace vpnse::proto;

namespace {

std::string http_response(const Pack& pack) {
    const auto body = pack.encode();
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nContent-Type: application/octet-stream\r\n\r\n" + std::string(as_text(body));
}

Pack hello_pack() {
    Pack p;
    p.set_str("hello", "SoftEther VPN Server");
    p.set_int("version", 501);
    p.set_int("build", 9674);
    p.set_data("random", std::array<std::uint8_t, 20>{7});
    return p;
}

Pack welcome_pack() {
    Pack p;
    p.set_str("session_name", "SID-A-1");
    p.set_str("connection_name", "CID-1");
    p.set_data("session_key", std::array<std::uint8_t, 20>{});
    return p;
}

struct Fixture {
    SeededRandom rng{3};
    std::optional<Hello> seen;
    session::Handshake handshake{"10.0.0.1",
                                 [this](const Hello& hello) -> Result<Pack> {
                                     seen = hello;
                                     Pack request;
                                     request.set_str("method", "login");
                                     return request;
                                 },
                                 rng};
};

}  // namespace

TEST_CASE("the handshake sends the signature, then the request built from the hello") {
    Fixture f;
    const auto signature = f.handshake.begin();
    CHECK(as_text(signature).find("VPNCONNECT") != std::string_view::npos);
    const auto hello = http_response(hello_pack());
    auto used = f.handshake.feed(as_bytes(hello));
    REQUIRE(used.ok());
    CHECK(*used == hello.size());
    REQUIRE(f.seen);
    CHECK(f.seen->random[0] == 7);
    const auto request = f.handshake.take_output();
    CHECK(as_text(request).find("POST /vpnsvc/vpn.cgi") == 0);
    CHECK_FALSE(f.handshake.done());
}

TEST_CASE("data-channel bytes after the welcome are left for the data channel") {
    Fixture f;
    f.handshake.begin();
    REQUIRE(f.handshake.feed(as_bytes(http_response(hello_pack()))).ok());
    const std::string welcome = http_response(welcome_pack());
    const std::string stream = welcome + std::string("\xff\xff\xff\xff\x00\x00\x00\x00", 8);
    auto used = f.handshake.feed(as_bytes(stream));
    REQUIRE(used.ok());
    CHECK(*used == welcome.size());
    CHECK(f.handshake.done());
    CHECK(f.handshake.reply().get_str("session_name") == std::optional<std::string_view>("SID-A-1"));
}

TEST_CASE("keep-busy PACKs before the welcome are skipped (6.3)") {
    Fixture f;
    f.handshake.begin();
    REQUIRE(f.handshake.feed(as_bytes(http_response(hello_pack()))).ok());
    Pack noop;
    noop.set_int("error", 0);
    noop.set_int("noop", 2);
    const std::string stream = http_response(noop) + http_response(noop) + http_response(welcome_pack());
    // Byte by byte, so every response boundary falls inside a feed.
    for (char c : stream)
        REQUIRE(f.handshake.feed(as_bytes(std::string_view(&c, 1))).ok());
    CHECK(f.handshake.done());
    CHECK(f.handshake.reply().contains("session_key"));
}

TEST_CASE("a refused signature or a garbage hello fails the handshake") {
    Fixture forbidden;
    forbidden.handshake.begin();
    auto r = forbidden.handshake.feed(as_bytes("HTTP/1.1 403 Forbidden\r\nContent-Length: 3\r\n\r\nno!"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::server_not_vpn);

    Fixture garbage;
    garbage.handshake.begin();
    auto g =
        garbage.handshake.feed(as_bytes("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Type: "
                                        "application/octet-stream\r\n\r\n\xff\xff\xff\xff"));
    REQUIRE_FALSE(g.ok());
    CHECK(g.error().code() == ErrorCode::server_not_vpn);
}
