// HTTP CONNECT (RFC 9110 9.3.6, RFC 7617) and SOCKS5 (RFC 1928, RFC 1929) handshakes as byte vectors.
#include <catch2/catch.hpp>

#include "proto/proxy_handshake.hpp"

using namespace vpnse;
using proto::ProxyServer;
using proto::ProxyType;

namespace {

ProxyServer proxy(ProxyType type, std::string user = {}, std::string password = {}) {
    return ProxyServer{type, "10.0.0.1", static_cast<std::uint16_t>(type == ProxyType::http ? 3128 : 1080),
                       std::move(user), std::move(password)};
}

proto::ProxyTarget server_name() {
    return {"vpn.example.com", 443, {}};
}
proto::ProxyTarget server_v4() {
    return {"10.250.1.1", 443, {10, 250, 1, 1}};
}

std::unique_ptr<proto::ProxyHandshake> make(const ProxyServer& p, proto::ProxyTarget target = server_name()) {
    auto h = proto::make_proxy_handshake(p, std::move(target));
    REQUIRE(h.ok());
    return std::move(h).value();
}

Bytes bytes(std::initializer_list<int> values) {
    Bytes out;
    for (int v : values)
        out.push_back(static_cast<std::uint8_t>(v));
    return out;
}

std::string text(const Bytes& b) {
    return std::string(b.begin(), b.end());
}

// Feeds the whole reply and returns the error (ok if the handshake finished).
Error feed_all(proto::ProxyHandshake& h, const Bytes& reply) {
    auto used = h.feed(reply);
    if (!used)
        return used.error();
    return Error{};
}

}  // namespace

TEST_CASE("HTTP CONNECT without credentials") {
    auto h = make(proxy(ProxyType::http));
    CHECK(text(h->take_output()) ==
          "CONNECT vpn.example.com:443 HTTP/1.1\r\nHost: vpn.example.com:443\r\n\r\n");
    CHECK(h->take_output().empty());
    const std::string reply = "HTTP/1.0 200 Connection established\r\nProxy-agent: tinyproxy/1.11.1\r\n\r\n";
    const std::string server = "\x16\x03\x03";
    auto used = h->feed(as_bytes(reply + server));
    REQUIRE(used.ok());
    CHECK(*used == reply.size());
    CHECK(h->done());
}

TEST_CASE("HTTP CONNECT sends Basic credentials and brackets IPv6 targets") {
    // RFC 7617 section 2 example: Aladdin / open sesame.
    auto h = make(proxy(ProxyType::http, "Aladdin", "open sesame"), {"fd00::1", 5555, Bytes(16, 0)});
    CHECK(text(h->take_output()) ==
          "CONNECT [fd00::1]:5555 HTTP/1.1\r\nHost: [fd00::1]:5555\r\n"
          "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n");
}

TEST_CASE("HTTP CONNECT reply fed byte by byte") {
    auto h = make(proxy(ProxyType::http));
    const std::string reply = "HTTP/1.1 200 OK\r\n\r\n";
    for (std::size_t i = 0; i < reply.size(); ++i) {
        CHECK_FALSE(h->done());
        auto used = h->feed(as_bytes(std::string_view(reply).substr(i, 1)));
        REQUIRE(used.ok());
        CHECK(*used == 1);
    }
    CHECK(h->done());
}

TEST_CASE("HTTP CONNECT errors name the proxy and say what went wrong") {
    struct Case {
        std::string user;
        std::string reply;
        ErrorCode code;
        std::string message;
    };
    const std::vector<Case> cases{
        {"u", "HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", ErrorCode::auth_failed,
         "proxy 10.0.0.1:3128 refused the credentials (HTTP 407 Proxy Authentication Required)"},
        {"", "HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", ErrorCode::auth_failed,
         "proxy 10.0.0.1:3128 requires credentials (HTTP 407 Proxy Authentication Required); set "
         "proxy.username "
         "and proxy.password"},
        {"u", "HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"tinyproxy\"\r\n\r\n",
         ErrorCode::auth_failed, "proxy 10.0.0.1:3128 refused the credentials (HTTP 401 Unauthorized)"},
        {"", "HTTP/1.0 403 Filtered\r\n\r\n", ErrorCode::access_denied,
         "proxy 10.0.0.1:3128 refused to connect to vpn.example.com:443 (HTTP 403 Filtered)"},
        {"", "HTTP/1.0 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nabc", ErrorCode::connect_failed,
         "proxy 10.0.0.1:3128 could not reach vpn.example.com:443 (HTTP 502 Bad Gateway)"},
        {"", "HTTP/1.1 400 Bad Request\r\n\r\n", ErrorCode::connect_failed,
         "proxy 10.0.0.1:3128 answered the CONNECT to vpn.example.com:443 with HTTP 400 Bad Request"},
        {"", "SSH-2.0-OpenSSH_9.2\r\n\r\n", ErrorCode::protocol_error,
         "proxy 10.0.0.1:3128 did not answer like an HTTP proxy: 'SSH-2.0-OpenSSH_9.2'"},
        {"", "HTTP/1.1 2000 OK\r\n\r\n", ErrorCode::protocol_error,
         "proxy 10.0.0.1:3128 did not answer like an HTTP proxy: 'HTTP/1.1 2000 OK'"},
    };
    for (const auto& c : cases) {
        INFO(c.reply);
        auto h = make(proxy(ProxyType::http, c.user, c.user.empty() ? "" : "pw"));
        const auto error = feed_all(*h, Bytes(c.reply.begin(), c.reply.end()));
        CHECK(error.code() == c.code);
        CHECK(error.message() == c.message);
    }
}

TEST_CASE("HTTP CONNECT refuses an endless reply header") {
    auto h = make(proxy(ProxyType::http));
    const std::string line = "HTTP/1.1 200 OK\r\n" + std::string(proto::kMaxProxyReplyHeader, 'x');
    const auto error = feed_all(*h, Bytes(line.begin(), line.end()));
    CHECK(error.code() == ErrorCode::limit_exceeded);
}

TEST_CASE("SOCKS5 without authentication, IPv4 target") {
    auto h = make(proxy(ProxyType::socks5), server_v4());
    CHECK(h->take_output() == bytes({5, 1, 0}));
    auto used = h->feed(bytes({5, 0}));
    REQUIRE(used.ok());
    CHECK(h->take_output() == bytes({5, 1, 0, 1, 10, 250, 1, 1, 0x01, 0xbb}));
    CHECK_FALSE(h->done());
    const Bytes reply = bytes({5, 0, 0, 1, 10, 250, 1, 3, 0xc0, 0x01, 0x16});
    used = h->feed(reply);
    REQUIRE(used.ok());
    CHECK(*used == reply.size() - 1);  // the last byte is the server's
    CHECK(h->done());
}

TEST_CASE("SOCKS5 with username/password and a name target") {
    auto h = make(proxy(ProxyType::socks5, "user", "pw"));
    CHECK(h->take_output() == bytes({5, 2, 0, 2}));
    REQUIRE(h->feed(bytes({5, 2})).ok());
    CHECK(h->take_output() == bytes({1, 4, 'u', 's', 'e', 'r', 2, 'p', 'w'}));
    REQUIRE(h->feed(bytes({1, 0})).ok());
    Bytes request = bytes({5, 1, 0, 3, 15});
    for (char c : std::string("vpn.example.com"))
        request.push_back(static_cast<std::uint8_t>(c));
    request.push_back(0x01);
    request.push_back(0xbb);
    CHECK(h->take_output() == request);
    // A domain-name bound address (type 3) in the reply, fed byte by byte.
    const Bytes reply = bytes({5, 0, 0, 3, 3, 'a', 'b', 'c', 0, 80});
    for (auto b : reply) {
        CHECK_FALSE(h->done());
        REQUIRE(h->feed(Bytes{b}).ok());
    }
    CHECK(h->done());
}

TEST_CASE("SOCKS5 with credentials accepts a proxy that needs none") {
    auto h = make(proxy(ProxyType::socks5, "user", "pw"));
    h->take_output();
    REQUIRE(h->feed(bytes({5, 0})).ok());
    CHECK(h->take_output().size() == 5 + 15 + 2);
}

TEST_CASE("SOCKS5 errors name the proxy and say what went wrong") {
    SECTION("wrong credentials") {
        auto h = make(proxy(ProxyType::socks5, "user", "bad"));
        REQUIRE(h->feed(bytes({5, 2})).ok());
        const auto error = feed_all(*h, bytes({1, 1}));
        CHECK(error.code() == ErrorCode::auth_failed);
        CHECK(error.message() ==
              "proxy 10.0.0.1:1080 (SOCKS5) refused the credentials (username/password status 1)");
    }
    SECTION("credentials needed but not configured") {
        auto h = make(proxy(ProxyType::socks5));
        const auto error = feed_all(*h, bytes({5, 0xff}));
        CHECK(error.code() == ErrorCode::auth_failed);
        CHECK(error.message() ==
              "proxy 10.0.0.1:1080 (SOCKS5) requires authentication; set proxy.username and proxy.password");
    }
    SECTION("a method that was not offered") {
        auto h = make(proxy(ProxyType::socks5));
        CHECK(feed_all(*h, bytes({5, 1})).code() == ErrorCode::protocol_error);
    }
    SECTION("not SOCKS5") {
        auto h = make(proxy(ProxyType::socks5));
        const auto error = feed_all(*h, bytes({'H', 'T'}));
        CHECK(error.code() == ErrorCode::protocol_error);
        CHECK(error.message() ==
              "proxy 10.0.0.1:1080 (SOCKS5) did not answer like a SOCKS5 server (version 72)");
    }
    SECTION("reply codes in words") {
        const std::vector<std::tuple<int, ErrorCode, std::string>> codes{
            {1, ErrorCode::connect_failed, "general SOCKS server failure (reply 1)"},
            {2, ErrorCode::access_denied, "connection not allowed by ruleset (reply 2)"},
            {4, ErrorCode::connect_failed, "host unreachable (reply 4)"},
            {5, ErrorCode::connect_failed, "connection refused (reply 5)"},
            {9, ErrorCode::connect_failed, "unassigned reply code (reply 9)"},
        };
        for (const auto& [code, expected, words] : codes) {
            auto h = make(proxy(ProxyType::socks5), server_v4());
            REQUIRE(h->feed(bytes({5, 0})).ok());
            const auto error = feed_all(*h, bytes({5, code, 0, 1, 0, 0, 0, 0, 0, 0}));
            CHECK(error.code() == expected);
            CHECK(error.message() ==
                  "proxy 10.0.0.1:1080 (SOCKS5) could not connect to 10.250.1.1:443: " + words);
        }
    }
    SECTION("unknown address type") {
        auto h = make(proxy(ProxyType::socks5));
        REQUIRE(h->feed(bytes({5, 0})).ok());
        CHECK(feed_all(*h, bytes({5, 0, 0, 7, 0})).code() == ErrorCode::protocol_error);
    }
}

TEST_CASE("proxy fields that cannot be sent are refused up front") {
    CHECK_FALSE(proto::make_proxy_handshake(proxy(ProxyType::http, "a:b", "pw"), server_name()));
    CHECK_FALSE(proto::make_proxy_handshake(proxy(ProxyType::http), {"evil\r\nX: y", 443, {}}));
    CHECK_FALSE(proto::make_proxy_handshake(proxy(ProxyType::socks5, std::string(256, 'u')), server_name()));
    CHECK_FALSE(proto::make_proxy_handshake(proxy(ProxyType::socks5), {std::string(256, 'h'), 443, {}}));
    CHECK_FALSE(proto::make_proxy_handshake(proxy(ProxyType::socks5, "", "pw"), server_name()));
    CHECK(proto::describe_proxy(ProxyServer{ProxyType::socks5, "fd00::2", 1080, {}, {}}) ==
          "proxy [fd00::2]:1080");
}
