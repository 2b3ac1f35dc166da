#include "transport/tls_connection.hpp"

#include <asio/connect.hpp>
#include <asio/write.hpp>

namespace vpnse::transport {
namespace {
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kPlaintextChunk = 32 * 1024;
// How long a graceful close waits for the server to finish before the socket is closed anyway.
constexpr auto kDrainTimeout = std::chrono::seconds(2);
}  // namespace

TlsConnection::TlsConnection(asio::io_context& io, ConnectionOptions options)
    : io_(io),
      socket_(io),
      close_timer_(io),
      tls_context_(std::move(options.tls)),
      required_cert_(std::move(options.required_cert)),
      protect_socket_(std::move(options.protect_socket)),
      logger_(std::move(options.logger)),
      proxy_(std::move(options.proxy)),
      plaintext_buffer_(kPlaintextChunk) {}

TlsConnection::~TlsConnection() = default;

void TlsConnection::start(const asio::ip::tcp::endpoint& endpoint, Callbacks callbacks) {
    callbacks_ = std::move(callbacks);
    const auto address = endpoint.address().to_string();
    endpoint_text_ = (proxy_ ? "proxy " : "") + (endpoint.address().is_v6() ? "[" + address + "]" : address) +
                     ":" + std::to_string(endpoint.port());
    asio::error_code ec;
    socket_.open(endpoint.protocol(), ec);
    if (ec)
        return fail(Error(ErrorCode::connect_failed, "socket: " + ec.message()));
    if (protect_socket_) {
        // The host keeps the tunnel's own server traffic off the tunnel (vpnsed: docs/platform-linux.md).
        if (auto protected_ = protect_socket_(static_cast<std::intptr_t>(socket_.native_handle()));
            !protected_)
            return fail(Error(
                protected_.error().code(),
                "cannot keep the server connection outside the tunnel: " + protected_.error().message()));
    }
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
    auto self = shared_from_this();
    socket_.async_connect(endpoint, [self](const asio::error_code& error) { self->on_connected(error); });
}

void TlsConnection::on_connected(const asio::error_code& ec) {
    if (closed_)
        return;
    if (ec)
        return fail(
            Error(ErrorCode::connect_failed, "cannot connect to " + endpoint_text_ + ": " + ec.message()));
    if (!proxy_)
        return start_tls();
    auto handshake = proto::make_proxy_handshake(proxy_->server, proxy_->target);
    if (!handshake)
        return fail(std::move(handshake).error());
    logger_.debug("asking the proxy for the server", {{"proxy", endpoint_text_}});
    auto self = shared_from_this();
    run_proxy_handshake(socket_, std::move(handshake).value(), endpoint_text_, [self](Error error) {
        if (self->closed_ || self->closing_)
            return;  // a close while asking the proxy finishes on the drain timer
        if (error)
            return self->fail(std::move(error));
        self->start_tls();
    });
}

void TlsConnection::start_tls() {
    auto session = tls::TlsSession::create(tls_context_, required_cert_);
    if (!session)
        return fail(std::move(session).error());
    tls_ = std::move(session).value();
    continue_handshake();
    read_more();
}

void TlsConnection::continue_handshake() {
    auto status = tls_->handshake();
    flush_tls_output();
    if (!status)
        return fail(std::move(status).error());
    if (*status == tls::IoStatus::ok && !open_) {
        open_ = true;
        logger_.debug("TLS established", {{"tls", tls_description()}});
        if (reporting_ && callbacks_.on_open)
            callbacks_.on_open();
        // Application data may have arrived together with the last handshake record.
        if (!closed_)
            process_tls_input();
    }
}

void TlsConnection::read_more() {
    if (closed_)
        return;
    // TLS input goes straight into the session's buffer; raw data-channel bytes and what is drained
    // while closing go to our own.
    reading_into_tls_ = tls_ && !raw_ && !closing_;
    std::span<std::uint8_t> space;
    if (reading_into_tls_) {
        space = tls_->input_space(kReadChunk);
    } else {
        if (read_buffer_.empty())
            read_buffer_.resize(kReadChunk);
        space = read_buffer_;
    }
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(space.data(), space.size()),
                            [self](const asio::error_code& ec, std::size_t n) { self->on_read(ec, n); });
}

void TlsConnection::on_read(const asio::error_code& ec, std::size_t n) {
    if (closed_)
        return;
    if (ec) {
        if (closing_)
            return finish_close();
        if (ec == asio::error::eof)
            return fail(Error(ErrorCode::disconnected, "the server closed the connection"));
        return fail(Error(ErrorCode::disconnected, "connection lost: " + ec.message()));
    }
    if (closing_) {
        // Draining: read and discard so the kernel never answers pending data with RST (11.6).
    } else if (!reading_into_tls_) {
        deliver(ByteSpan(read_buffer_.data(), n));  // raw mode (a read into TLS space never turns raw)
    } else {
        tls_->commit_input(n);
        if (!open_) {
            continue_handshake();
        } else {
            process_tls_input();
        }
    }
    read_more();
}

void TlsConnection::process_tls_input() {
    while (!closed_ && !closing_ && !raw_) {
        std::size_t produced = 0;
        auto status = tls_->read(plaintext_buffer_, produced);
        if (!status)
            return fail(std::move(status).error());
        if (*status == tls::IoStatus::want_read)
            break;
        if (*status == tls::IoStatus::closed) {
            return fail(Error(ErrorCode::disconnected, "the server closed the TLS session"));
        }
        deliver(ByteSpan(plaintext_buffer_.data(), produced));
        if (raw_) {
            // Bytes behind the last TLS record are already raw data-channel bytes (10.1).
            Bytes rest = tls_->take_unread_input();
            if (!rest.empty())
                deliver(rest);
        }
    }
    if (!closed_ && !raw_)
        flush_tls_output();
}

void TlsConnection::deliver(ByteSpan plaintext) {
    if (reporting_ && callbacks_.on_data && !plaintext.empty())
        callbacks_.on_data(plaintext);
}

bool TlsConnection::send(ByteSpan plaintext) {
    if (closed_ || closing_ || !open_)
        return false;
    if (raw_) {
        queued_.insert(queued_.end(), plaintext.begin(), plaintext.end());
    } else {
        if (auto status = tls_->write(plaintext); !status) {
            fail(std::move(status).error());
            return false;
        }
        take_tls_output();
    }
    start_write();
    return true;
}

void TlsConnection::switch_to_raw() {
    raw_ = true;
}

void TlsConnection::take_tls_output() {
    auto& out = tls_->pending_output();
    if (queued_.empty()) {
        queued_.swap(out);  // no copy; TLS gets the old (empty, allocated) buffer back
    } else {
        queued_.insert(queued_.end(), out.begin(), out.end());
    }
    out.clear();
}

void TlsConnection::flush_tls_output() {
    if (tls_->pending_output().empty())
        return;
    take_tls_output();
    start_write();
}

void TlsConnection::start_write() {
    if (writing_ || queued_.empty() || closed_)
        return;
    writing_buffer_.swap(queued_);
    queued_.clear();
    writing_ = true;
    auto self = shared_from_this();
    asio::async_write(
        socket_, asio::buffer(writing_buffer_), [self](const asio::error_code& ec, std::size_t) {
            self->writing_ = false;
            if (self->closed_)
                return;
            if (ec)
                return self->fail(Error(ErrorCode::disconnected, "write failed: " + ec.message()));
            if (!self->queued_.empty())
                return self->start_write();
            if (self->closing_) {
                asio::error_code ignored;
                self->socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
                return;
            }
            if (self->reporting_ && self->callbacks_.on_writable)
                self->callbacks_.on_writable();
        });
}

void TlsConnection::close_gracefully() {
    if (closed_ || closing_)
        return;
    closing_ = true;
    if (tls_ && open_ && !raw_) {
        tls_->close_notify();
        take_tls_output();
    }
    if (!writing_ && queued_.empty()) {
        asio::error_code ignored;
        socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    } else {
        start_write();
    }
    auto self = shared_from_this();
    close_timer_.expires_after(kDrainTimeout);
    close_timer_.async_wait([self](const asio::error_code& ec) {
        if (!ec)
            self->finish_close();
    });
}

void TlsConnection::finish_close() {
    fail(Error{});  // a graceful close reports "no error"
}

void TlsConnection::fail(Error error) {
    if (closed_)
        return;
    closed_ = true;
    asio::error_code ignored;
    close_timer_.cancel();
    socket_.close(ignored);
    const bool report = reporting_;
    reporting_ = false;
    // The callbacks stay until destruction: this may run inside one of them.
    if (report && callbacks_.on_closed)
        callbacks_.on_closed(error);
}

void TlsConnection::detach() {
    reporting_ = false;
}

Bytes TlsConnection::peer_certificate_der() const {
    return tls_ ? tls_->peer_certificate_der() : Bytes{};
}

std::string TlsConnection::tls_description() const {
    return tls_ ? tls_->version() + " " + tls_->cipher_suite() : std::string();
}

std::shared_ptr<Connection> make_tls_connection(asio::io_context& io, ConnectionOptions options) {
    return std::make_shared<TlsConnection>(io, std::move(options));
}

}  // namespace vpnse::transport
