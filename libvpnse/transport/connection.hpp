#pragma once
// One TCP connection to the server with its TLS session, driven by Asio. It moves bytes between the
// socket and tls/, and hands plaintext to its owner; what the bytes mean is session/'s business.
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "core/bytes.hpp"
#include "tls/tls_session.hpp"
#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnse::transport {

class Connection : public std::enable_shared_from_this<Connection> {
  public:
    struct Callbacks {
        std::function<void()> on_open;  // TCP + TLS up, peer verified
        std::function<void(ByteSpan plaintext)> on_data;
        std::function<void()> on_writable;                   // the write queue drained
        std::function<void(const Error& reason)> on_closed;  // fires once, unless detach()ed
    };

    using ProtectSocket = std::function<Status(std::intptr_t native_socket)>;
    Connection(asio::io_context& io, std::shared_ptr<tls::TlsContext> tls, std::optional<Bytes> required_cert,
               ProtectSocket protect_socket, Logger logger);
    ~Connection();

    void start(const asio::ip::tcp::endpoint& endpoint, Callbacks callbacks);

    // Queues plaintext (encrypted unless raw mode). Returns false if the connection is closing.
    bool send(ByteSpan plaintext);
    bool write_pending() const { return writing_ || !queued_.empty(); }
    std::size_t queued_bytes() const { return queued_.size(); }

    // Stops using TLS from the next byte on, both directions (use_encrypt=0, softether-protocol.md 10.1).
    // Must be called from inside on_data; ciphertext already read but not decoded is delivered as raw data.
    void switch_to_raw();

    // close_notify, flush, half-close, drain the peer until EOF (bounded), close (2.2, 11.6).
    void close_gracefully();
    // Drops callbacks: nothing is reported to the owner any more. Used when the owner goes away.
    void detach();

    Bytes peer_certificate_der() const;
    std::string tls_description() const;
    bool open() const { return open_; }

  private:
    void on_connected(const asio::error_code& ec);
    void continue_handshake();
    void read_more();
    void on_read(const asio::error_code& ec, std::size_t n);
    void process_tls_input();
    void deliver(ByteSpan plaintext);
    void flush_tls_output();
    void take_tls_output();
    void start_write();
    void fail(Error error);
    void finish_close();

    asio::io_context& io_;
    asio::ip::tcp::socket socket_;
    asio::steady_timer close_timer_;
    std::shared_ptr<tls::TlsContext> tls_context_;
    std::unique_ptr<tls::TlsSession> tls_;
    std::optional<Bytes> required_cert_;
    ProtectSocket protect_socket_;
    Logger logger_;
    Callbacks callbacks_;
    std::string endpoint_text_;

    Bytes read_buffer_;
    Bytes plaintext_buffer_;
    Bytes queued_;  // waiting for the current write to finish
    Bytes writing_buffer_;
    bool writing_ = false;
    bool open_ = false;
    bool raw_ = false;
    bool reading_into_tls_ = false;  // the read in flight fills the TLS session's input
    bool closing_ = false;
    bool closed_ = false;
    bool reporting_ = true;  // false once detached or closed: no callback any more
};

}  // namespace vpnse::transport
