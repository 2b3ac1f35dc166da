#include <catch2/catch.hpp>

#include "core/random.hpp"
#include "proto/http.hpp"

using namespace vpnse;
using proto::HttpResponseReader;

namespace {

std::string response(std::string_view body, std::string_view status = "200 OK",
                     std::string_view type = "application/octet-stream") {
    return "HTTP/1.1 " + std::string(status) +
           "\r\nConnection: Keep-Alive\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nContent-Type: " + std::string(type) + "\r\nKeep-Alive: timeout=15; max=19\r\n\r\n" +
           std::string(body);
}

}  // namespace

TEST_CASE("the response reader stops exactly at Content-Length") {
    const std::string text = response("PACKBYTES") + "\x00\x00\x00\x01rest-of-data-channel";
    HttpResponseReader reader;
    auto used = reader.feed(as_bytes(text));
    REQUIRE(used.ok());
    REQUIRE(reader.done());
    CHECK(*used == response("PACKBYTES").size());
    CHECK(reader.status() == 200);
    CHECK(as_text(reader.body()) == "PACKBYTES");
    auto more = reader.feed(as_bytes("x"));
    REQUIRE(more.ok());
    CHECK(*more == 0);
}

TEST_CASE("the response reader gives the same result fed byte by byte") {
    const std::string text = response("hello world");
    HttpResponseReader reader;
    std::size_t total = 0;
    for (char c : text) {
        auto used = reader.feed(as_bytes(std::string_view(&c, 1)));
        REQUIRE(used.ok());
        total += *used;
    }
    CHECK(reader.done());
    CHECK(total == text.size());
    CHECK(as_text(reader.body()) == "hello world");
    reader.reset();
    CHECK_FALSE(reader.done());
    REQUIRE(reader.feed(as_bytes(response("again"))).ok());
    CHECK(as_text(reader.body()) == "again");
}

TEST_CASE("non-200 answers, wrong types and bad lengths are clear errors") {
    HttpResponseReader forbidden;
    auto r = forbidden.feed(as_bytes(response("<html>", "403 Forbidden", "text/html")));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::server_not_vpn);
    CHECK_THAT(r.error().message(), Catch::Contains("403"));

    HttpResponseReader html;
    CHECK(html.feed(as_bytes(response("x", "200 OK", "text/html"))).error().code() ==
          ErrorCode::server_not_vpn);

    HttpResponseReader zero;
    CHECK_FALSE(
        zero
            .feed(as_bytes(
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nContent-Type: application/octet-stream\r\n\r\n"))
            .ok());

    HttpResponseReader missing;
    CHECK_FALSE(
        missing.feed(as_bytes("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n")).ok());

    HttpResponseReader huge;
    auto h = huge.feed(as_bytes(
        "HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\nContent-Type: application/octet-stream\r\n\r\n"));
    REQUIRE_FALSE(h.ok());
    CHECK(h.error().code() == ErrorCode::limit_exceeded);

    HttpResponseReader garbage;
    CHECK(garbage.feed(as_bytes("SSH-2.0-OpenSSH\r\n\r\n")).error().code() == ErrorCode::server_not_vpn);
}

TEST_CASE("an endless header is cut off at the limit") {
    HttpResponseReader reader(proto::HttpLimits{64, 1024});
    std::string header = "HTTP/1.1 200 OK\r\nX: " + std::string(200, 'a');
    auto r = reader.feed(as_bytes(header));
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message(), Catch::Contains("longer than 64"));
}

TEST_CASE("the signature request is the 10-byte VPNCONNECT POST") {
    const auto request = proto::build_signature_request("10.0.0.1");
    const auto text = std::string(as_text(request));
    CHECK(text.rfind("POST /vpnsvc/connect.cgi HTTP/1.1\r\n", 0) == 0);
    CHECK(text.find("Content-Length: 10\r\n") != std::string::npos);
    CHECK(text.find("Host: 10.0.0.1\r\n") != std::string::npos);
    CHECK(text.size() >= 14);
    CHECK(text.substr(text.size() - 14) == "\r\n\r\nVPNCONNECT");
}

TEST_CASE("a PACK request carries the PACK plus a pencore under 1000 bytes") {
    proto::Pack pack;
    pack.set_str("method", "login");
    SeededRandom rng(7);
    const auto request = proto::build_pack_request("h", pack, rng);
    const auto text = std::string(as_text(request));
    CHECK(text.rfind("POST /vpnsvc/vpn.cgi HTTP/1.1\r\n", 0) == 0);
    CHECK(text.find("Content-Type: application/octet-stream\r\n") != std::string::npos);
    const auto body_at = text.find("\r\n\r\n") + 4;
    auto decoded = proto::Pack::decode(ByteSpan(request).subspan(body_at));
    REQUIRE(decoded.ok());
    CHECK(decoded->get_str("method") == std::optional<std::string_view>("login"));
    REQUIRE(decoded->get_data("pencore"));
    CHECK(decoded->get_data("pencore")->size() < 1000);
    CHECK(text.find("Content-Length: " + std::to_string(request.size() - body_at) + "\r\n") !=
          std::string::npos);
}
