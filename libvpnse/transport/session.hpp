#pragma once
// The client's view of one session attempt: start it, queue frames for the hub, stop it. SessionRunner
// (TLS over TCP to the server) is the real one; unit tests plug in a fake through SessionFactory, so the
// client's lifecycle is tested without a server.
//
// Contract for implementations:
//  * Everything runs on one io_context thread; callbacks are made there, never from inside start() or
//    stop().
//  * After stop() (or after on_lost has fired) no callback is made any more, also not for the rest of a
//    burst that is being delivered when stop() is called from inside a callback.
//  * The owner may drop its last reference from inside any callback; the implementation keeps itself
//    alive until the callback has returned.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/random.hpp"
#include "proto/login.hpp"
#include "tls/tls_session.hpp"
#include "transport/connection.hpp"
#include "vpnse/log.hpp"
#include "vpnse/udp_stats.hpp"

namespace vpnse::transport {

struct SessionSettings {
    std::string host;
    std::uint16_t port = 443;
    proto::LoginRequest login;       // hub, user, credentials, max_connection, encrypt, compress, half
    bool allow_unencrypted = false;  // accept a welcome with use_encrypt=0 although 1 was asked for
    ProtectSocket protect_socket;
    std::size_t max_pending_frames = 2048;
    // Every TCP connection of the session goes through this proxy; host and port above are then what
    // the proxy is asked to reach, and only the proxy is resolved and connected to.
    std::optional<proto::ProxyServer> proxy;
    // Offer SoftEther's UDP acceleration (softether-protocol-advanced.md 1): only on a direct IPv4
    // connection; the UDP socket goes through protect_socket like the TCP ones.
    bool udp_acceleration = false;
};

struct SessionInfo {
    proto::Welcome welcome;
    proto::Hello hello;
    std::string tls;                 // "TLSv1.2 TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256"
    asio::ip::tcp::endpoint server;  // the peer of the TCP connections: the proxy when there is one
    std::array<std::uint8_t, 32> server_cert_sha256{};  // of the login connection's certificate (DER)
};

struct SessionCallbacks {
    std::function<void()> on_authenticating;                 // login PACK sent
    std::function<void(const SessionInfo&)> on_established;  // welcome received, data may flow
    std::function<void(ByteSpan frame)> on_frame;            // an Ethernet frame from the hub
    std::function<void(const Error& reason)> on_lost;        // fires once; the session is finished
};

// The session's open data connections, and how many carry each direction (with half_connection some
// carry only one, softether-protocol.md 11.4).
struct OpenConnections {
    std::uint32_t total = 0;
    std::uint32_t upload = 0;    // client to server
    std::uint32_t download = 0;  // server to client
};

class Session {
  public:
    virtual ~Session() = default;
    virtual void start(SessionCallbacks callbacks) = 0;
    // Queues a frame for the hub; false if it was dropped (not established, or the queue is full).
    virtual bool send_frame(ByteSpan frame) = 0;
    // Closes every connection cleanly; no callback is made afterwards.
    virtual void stop() = 0;
    virtual OpenConnections open_connections() const = 0;
    virtual std::uint64_t dropped_frames() const = 0;
    virtual UdpAccelStats udp_status() const { return {}; }
};

class SessionFactory {
  public:
    virtual ~SessionFactory() = default;
    virtual std::shared_ptr<Session> create(asio::io_context& io, std::shared_ptr<tls::TlsContext> tls,
                                            SessionSettings settings, RandomSource& rng, Logger logger) = 0;
};

// SessionRunner: TLS over TCP to settings.host.
std::shared_ptr<SessionFactory> tcp_session_factory();

}  // namespace vpnse::transport
