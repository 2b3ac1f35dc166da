#pragma once
// One connection of a session to the server, as the session runner sees it: plaintext in and out, TLS
// (or raw after use_encrypt=0) underneath. TlsConnection is the real one (TCP + TLS over Asio); unit
// tests plug in a fake through ConnectionFactory.
#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "tls/tls_session.hpp"
#include "transport/proxy_tunnel.hpp"
#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnse::transport {

class Connection {
  public:
    struct Callbacks {
        std::function<void()> on_open;  // TCP (+ proxy) + TLS up, peer verified
        std::function<void(ByteSpan plaintext)> on_data;
        std::function<void()> on_writable;                   // the write queue drained
        std::function<void(const Error& reason)> on_closed;  // fires once, unless detach()ed
    };

    virtual ~Connection() = default;
    virtual void start(const asio::ip::tcp::endpoint& endpoint, Callbacks callbacks) = 0;
    // Queues plaintext (encrypted unless raw mode). Returns false if the connection is closing.
    virtual bool send(ByteSpan plaintext) = 0;
    virtual bool write_pending() const = 0;
    // Stops using TLS from the next byte on, both directions (use_encrypt=0, softether-protocol.md 10.1).
    // Must be called from inside on_data; ciphertext already read but not decoded is delivered as raw data.
    virtual void switch_to_raw() = 0;
    // close_notify, flush, half-close, drain the peer until EOF (bounded), close (2.2, 11.6).
    virtual void close_gracefully() = 0;
    // Drops callbacks: nothing is reported to the owner any more. Used when the owner goes away.
    virtual void detach() = 0;
    virtual Bytes peer_certificate_der() const = 0;
    virtual std::string tls_description() const = 0;
    virtual bool open() const = 0;
};

// The host's hook for each server socket before it connects (vpnse::ClientOptions::protect_socket).
using ProtectSocket = std::function<Status(std::intptr_t native_socket)>;

struct ConnectionOptions {
    std::shared_ptr<tls::TlsContext> tls;
    std::optional<Bytes> required_cert;  // additional connections: the login connection's certificate
    ProtectSocket protect_socket;
    Logger logger;
    // With a proxy, start() is given the proxy's endpoint and the connection asks the proxy for the
    // server before TLS begins.
    std::optional<ProxyRoute> proxy;
};

using ConnectionFactory =
    std::function<std::shared_ptr<Connection>(asio::io_context& io, ConnectionOptions options)>;

// TlsConnection: TCP + TLS.
std::shared_ptr<Connection> make_tls_connection(asio::io_context& io, ConnectionOptions options);

}  // namespace vpnse::transport
