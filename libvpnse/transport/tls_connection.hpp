#pragma once
// One TCP connection to the server (directly or through a proxy) with its TLS session, driven by Asio. It
// moves bytes between the socket and tls/, and hands plaintext to its owner; what the bytes mean is
// session/'s business.
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "core/bytes.hpp"
#include "tls/tls_session.hpp"
#include "transport/connection.hpp"
#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnse::transport {

class TlsConnection final : public Connection, public std::enable_shared_from_this<TlsConnection> {
  public:
    TlsConnection(asio::io_context& io, ConnectionOptions options);
    ~TlsConnection() override;

    void start(const asio::ip::tcp::endpoint& endpoint, Callbacks callbacks) override;
    bool send(ByteSpan plaintext) override;
    bool write_pending() const override { return writing_ || !queued_.empty(); }
    void switch_to_raw() override;
    void close_gracefully() override;
    void detach() override;
    Bytes peer_certificate_der() const override;
    std::string tls_description() const override;
    bool open() const override { return open_; }

  private:
    void on_connected(const asio::error_code& ec);
    void start_tls();
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
    std::optional<ProxyRoute> proxy_;
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
