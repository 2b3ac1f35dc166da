// SessionRunner against fake connections: the test plays the server (hello, welcome, additional
// connection replies, data batches), so login, frame batching, spreading over connections and losing
// the session run in milliseconds, with no socket and no TLS.
#include "transport/session_runner.hpp"

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "proto/framing.hpp"
#include "proto/pack.hpp"

using namespace vpnse;
using namespace vpnse::transport;
using namespace std::chrono_literals;

namespace {

std::string http_response(const proto::Pack& pack) {
    const auto body = pack.encode();
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nContent-Type: application/octet-stream\r\n\r\n" + std::string(as_text(body));
}

proto::Pack hello_pack() {
    proto::Pack p;
    p.set_str("hello", "SoftEther VPN Server");
    p.set_int("version", 501);
    p.set_int("build", 9674);
    p.set_data("random", std::array<std::uint8_t, 20>{7});
    return p;
}

proto::Pack welcome_pack(std::uint32_t max_connection) {
    proto::Pack p;
    p.set_str("session_name", "SID-ALICE-1");
    p.set_str("connection_name", "CID-1");
    p.set_data("session_key", std::array<std::uint8_t, 20>{9});
    p.set_int("max_connection", max_connection);
    p.set_bool("use_encrypt", true);
    p.set_int("timeout", 20000);
    return p;
}

class FakeConnection final : public Connection {
  public:
    explicit FakeConnection(bool joins_session) : additional(joins_session) {}
    void start(const asio::ip::tcp::endpoint& at, Callbacks cb) override {
        endpoint = at;
        callbacks = std::move(cb);
    }
    bool send(ByteSpan plaintext) override {
        if (!open_)
            return false;
        sent.insert(sent.end(), plaintext.begin(), plaintext.end());
        return true;
    }
    bool write_pending() const override { return false; }
    void switch_to_raw() override {}
    void close_gracefully() override {
        closed = true;
        open_ = false;
    }
    void detach() override { detached = true; }
    Bytes peer_certificate_der() const override { return {1, 2, 3}; }
    std::string tls_description() const override { return "TLSv1.2 FAKE"; }
    bool open() const override { return open_; }

    // The server's side.
    void accept() {
        open_ = true;
        if (!detached)
            callbacks.on_open();
    }
    void reply(std::string_view bytes) {
        if (!detached)
            callbacks.on_data(as_bytes(bytes));
    }
    void reply(const Bytes& bytes) {
        if (!detached)
            callbacks.on_data(bytes);
    }
    void drop(const Error& reason) {
        open_ = false;
        if (!detached)
            callbacks.on_closed(reason);
    }
    std::string sent_text() const { return std::string(as_text(sent)); }

    const bool additional;
    asio::ip::tcp::endpoint endpoint;
    Callbacks callbacks;
    Bytes sent;
    bool closed = false;
    bool detached = false;

  private:
    bool open_ = false;
};

struct Harness {
    explicit Harness(std::uint32_t max_connection = 1,
                     std::optional<proto::ProxyServer> proxy = std::nullopt) {
        SessionSettings settings;
        settings.proxy = std::move(proxy);
        settings.host = "127.0.0.1";
        settings.port = 443;
        settings.login.hub = "TEST";
        settings.login.username = "alice";
        settings.login.auth = proto::AuthType::anonymous;
        settings.login.max_connection = max_connection;
        runner = std::make_shared<SessionRunner>(
            io, nullptr, settings, rng, Logger(), [this](asio::io_context&, ConnectionOptions options) {
                auto connection = std::make_shared<FakeConnection>(options.required_cert.has_value());
                connections.push_back(connection);
                connection_options.push_back(std::move(options));
                return connection;
            });
        SessionCallbacks callbacks;
        callbacks.on_authenticating = [this] { ++authenticating; };
        callbacks.on_established = [this](const SessionInfo& info) { established = info; };
        callbacks.on_frame = [this](ByteSpan frame) {
            frames.emplace_back(frame.begin(), frame.end());
            if (on_frame)
                on_frame();
        };
        callbacks.on_lost = [this](const Error& reason) { lost.push_back(reason); };
        runner->start(std::move(callbacks));
        // The first connection waits for the resolver's thread, which a loaded machine (CI under ASan)
        // may not schedule within run()'s few milliseconds.
        run_until([this] { return !connections.empty(); });
    }
    void run() {
        for (int i = 0; i < 5; ++i) {
            io.restart();
            io.run_for(2ms);
        }
    }
    template <typename Done>
    void run_until(Done done) {
        run();
        for (int i = 0; i < 2500 && !done(); ++i) {
            io.restart();
            io.run_for(2ms);
        }
    }
    // The server side of one connection's handshake, up to `final_reply`.
    void handshake(FakeConnection& connection, const proto::Pack& final_reply) {
        connection.accept();
        REQUIRE(connection.sent_text().find("VPNCONNECT") != std::string::npos);
        connection.sent.clear();
        connection.reply(http_response(hello_pack()));
        REQUIRE(connection.sent_text().find("POST /vpnsvc/vpn.cgi") == 0);
        connection.sent.clear();
        connection.reply(http_response(final_reply));
        run();
    }
    void log_in() {
        REQUIRE(connections.size() == 1);
        handshake(*connections[0], welcome_pack(max_connection_granted));
    }

    asio::io_context io;
    SeededRandom rng{5};
    std::vector<std::shared_ptr<FakeConnection>> connections;
    std::vector<ConnectionOptions> connection_options;
    std::shared_ptr<SessionRunner> runner;
    int authenticating = 0;
    std::optional<SessionInfo> established;
    std::vector<Bytes> frames;
    std::vector<Error> lost;
    std::function<void()> on_frame;
    std::uint32_t max_connection_granted = 1;
};

Bytes batch(const std::vector<Bytes>& frames) {
    Bytes out;
    proto::BatchBuilder builder;
    for (const auto& frame : frames)
        builder.append(out, frame);
    builder.finish(out);
    return out;
}

const Bytes kFrameA(60, 0xaa);
const Bytes kFrameB(1514, 0xbb);

}  // namespace

TEST_CASE("session runner: logs in, then carries frames both ways in batches") {
    Harness h;
    REQUIRE(h.connections.size() == 1);
    CHECK(h.connections[0]->endpoint.port() == 443);
    h.log_in();
    CHECK(h.authenticating == 1);
    REQUIRE(h.established);
    CHECK(h.established->welcome.session_name == "SID-ALICE-1");
    CHECK(h.established->tls == "TLSv1.2 FAKE");
    CHECK(h.runner->open_connections().total == 1);

    // Frames queued in one burst leave as one batch.
    h.connections[0]->sent.clear();
    CHECK(h.runner->send_frame(kFrameA));
    CHECK(h.runner->send_frame(kFrameB));
    h.run();
    const auto& sent = h.connections[0]->sent;
    const auto expected = batch({kFrameA, kFrameB});
    REQUIRE(sent.size() >= expected.size());
    CHECK(Bytes(sent.begin(), sent.begin() + static_cast<std::ptrdiff_t>(expected.size())) == expected);

    // A batch from the server is delivered frame by frame.
    h.connections[0]->reply(batch({kFrameB, kFrameA}));
    REQUIRE(h.frames.size() == 2);
    CHECK(h.frames[0] == kFrameB);
    CHECK(h.frames[1] == kFrameA);
}

TEST_CASE("session runner: nothing is sent before the welcome") {
    Harness h;
    CHECK_FALSE(h.runner->send_frame(kFrameA));
    h.connections[0]->accept();
    CHECK_FALSE(h.runner->send_frame(kFrameA));
}

TEST_CASE("session runner: additional connections join with the session key") {
    Harness h(3);
    h.max_connection_granted = 3;
    h.log_in();
    REQUIRE(h.connections.size() == 3);
    CHECK(h.connections[1]->additional);
    proto::Pack direction;
    direction.set_int("direction", 0);
    h.handshake(*h.connections[1], direction);
    h.handshake(*h.connections[2], direction);
    CHECK(h.runner->open_connections().total == 3);
}

TEST_CASE("session runner: a refused additional connection is dropped, the session goes on") {
    Harness h(2);
    h.max_connection_granted = 2;
    h.log_in();
    REQUIRE(h.connections.size() == 2);
    proto::Pack refusal;
    refusal.set_int("error", 8);
    h.handshake(*h.connections[1], refusal);
    CHECK(h.connections[1]->closed);
    CHECK(h.lost.empty());
    CHECK(h.runner->open_connections().total == 1);
}

TEST_CASE("session runner: losing a connection loses the session once, and stop() silences it") {
    Harness h;
    h.log_in();
    h.connections[0]->drop(Error(ErrorCode::disconnected, "the server closed the connection"));
    REQUIRE(h.lost.size() == 1);
    CHECK(h.lost[0].code() == ErrorCode::disconnected);
    CHECK_FALSE(h.runner->send_frame(kFrameA));

    Harness quiet;
    quiet.log_in();
    quiet.runner->stop();
    CHECK(quiet.connections[0]->closed);
    CHECK(quiet.connections[0]->detached);
    quiet.connections[0]->drop(Error(ErrorCode::disconnected, "gone"));
    CHECK(quiet.lost.empty());
}

TEST_CASE("session runner: stopped from inside a frame callback, the rest of the burst is not delivered") {
    Harness h;
    h.log_in();
    h.on_frame = [&h] { h.runner->stop(); };
    h.connections[0]->reply(batch({kFrameA, kFrameB, kFrameA}));
    CHECK(h.frames.size() == 1);
    CHECK(h.lost.empty());
}

TEST_CASE("session runner: a login refused by the server is the session's loss, with its reason") {
    Harness h;
    proto::Pack refusal;
    refusal.set_int("error", 9);  // ERR_AUTH_FAILED
    h.handshake(*h.connections[0], refusal);
    REQUIRE(h.lost.size() == 1);
    CHECK(h.lost[0].code() == ErrorCode::auth_failed);
    CHECK_FALSE(h.established);
}

TEST_CASE("session runner: with a proxy every connection goes to the proxy and asks for the server") {
    Harness h(2, proto::ProxyServer{proto::ProxyType::http, "127.0.0.2", 3128, "u", "p"});
    REQUIRE(h.connections.size() == 1);
    CHECK(h.connections[0]->endpoint.address().to_string() == "127.0.0.2");
    CHECK(h.connections[0]->endpoint.port() == 3128);
    REQUIRE(h.connection_options[0].proxy);
    CHECK(h.connection_options[0].proxy->target.host == "127.0.0.1");
    CHECK(h.connection_options[0].proxy->target.port == 443);
    CHECK(h.connection_options[0].proxy->target.address == Bytes{127, 0, 0, 1});
    h.max_connection_granted = 2;
    h.log_in();
    REQUIRE(h.established);
    CHECK(h.established->server.address().to_string() == "127.0.0.2");  // what stays outside the tunnel
    REQUIRE(h.connections.size() == 2);
    CHECK(h.connections[1]->endpoint.port() == 3128);
    REQUIRE(h.connection_options[1].proxy);
}

namespace {

// A farm controller's answer to the login (softether-protocol.md 12): member 10.250.9.1, ports 992 and 443.
proto::Pack redirect_pack() {
    proto::Pack p;
    p.set_int("Redirect", 1);
    p.set_ip("Ip", IpAddress::v4(10, 250, 9, 1));
    const std::uint32_t ports[] = {992, 443};
    p.set_int_array("Port", ports);
    p.set_data("Ticket", std::array<std::uint8_t, 20>{0x7e, 0x7e});
    p.set_data("Cert", Bytes{4, 5, 6});
    return p;
}

proto::Pack request_pack(const FakeConnection& connection) {
    const auto text = connection.sent_text();
    const auto body = text.find("\r\n\r\n");
    REQUIRE(body != std::string::npos);
    auto pack = proto::Pack::decode(as_bytes(std::string_view(text).substr(body + 4)));
    REQUIRE(pack.ok());
    return *pack;
}

}  // namespace

TEST_CASE("session runner: a cluster redirect is followed to the member with the ticket") {
    Harness h;
    h.connections[0]->accept();
    h.connections[0]->sent.clear();
    h.connections[0]->reply(http_response(hello_pack()));
    h.connections[0]->sent.clear();
    h.connections[0]->reply(http_response(redirect_pack()));
    h.run();
    // One empty PACK back to the controller, then it is closed.
    CHECK(request_pack(*h.connections[0]).value_count("method") == 0);
    CHECK(h.connections[0]->closed);
    REQUIRE(h.connections.size() == 2);
    auto& member = *h.connections[1];
    CHECK(member.endpoint == asio::ip::tcp::endpoint(asio::ip::make_address("10.250.9.1"), 443));
    // The member must present exactly the certificate the controller announced.
    CHECK(h.connection_options[1].required_cert == Bytes{4, 5, 6});
    member.accept();
    member.sent.clear();
    member.reply(http_response(hello_pack()));
    const auto login = request_pack(member);
    CHECK(login.get_int("authtype") == 99u);
    CHECK(login.get_str("username") == "alice");
    const auto ticket = login.get_data("ticket");
    REQUIRE(ticket);
    CHECK(Bytes(ticket->begin(), ticket->end()) ==
          Bytes{0x7e, 0x7e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    member.sent.clear();
    member.reply(http_response(welcome_pack(1)));
    h.run();
    REQUIRE(h.established);
    CHECK(h.lost.empty());
}

TEST_CASE("session runner: redirects are bounded; a redirect without ports is refused") {
    Harness h;
    for (std::size_t i = 0; i < 4; ++i) {
        REQUIRE(h.connections.size() == i + 1);
        auto& connection = *h.connections[i];
        connection.accept();
        connection.reply(http_response(hello_pack()));
        connection.reply(http_response(redirect_pack()));
        h.run();
    }
    REQUIRE(h.lost.size() == 1);
    CHECK(h.lost[0].code() == ErrorCode::protocol_error);
    CHECK_THAT(h.lost[0].message(), Catch::Contains("redirected more than 3 times"));

    Harness bare;
    auto redirect = redirect_pack();
    redirect.remove("Port");
    bare.connections[0]->accept();
    bare.connections[0]->reply(http_response(hello_pack()));
    bare.connections[0]->reply(http_response(redirect));
    bare.run();
    REQUIRE(bare.lost.size() == 1);
    CHECK_THAT(bare.lost[0].message(), Catch::Contains("without ports"));
}
