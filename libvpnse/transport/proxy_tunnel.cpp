#include "transport/proxy_tunnel.hpp"

#include <array>
#include <asio/write.hpp>

namespace vpnse::transport {
namespace {

class ProxyExchange final : public std::enable_shared_from_this<ProxyExchange> {
  public:
    ProxyExchange(asio::ip::tcp::socket& socket, std::unique_ptr<proto::ProxyHandshake> handshake,
                  std::string proxy_name, std::function<void(Error)> done)
        : socket_(socket),
          handshake_(std::move(handshake)),
          proxy_name_(std::move(proxy_name)),
          done_(std::move(done)) {}

    void step() {
        output_ = handshake_->take_output();
        if (!output_.empty())
            return write();
        read();
    }

  private:
    void write() {
        auto self = shared_from_this();
        asio::async_write(socket_, asio::buffer(output_), [self](const asio::error_code& ec, std::size_t) {
            if (ec)
                return self->finish(Error(ErrorCode::connect_failed,
                                          "cannot send to " + self->proxy_name_ + ": " + ec.message()));
            self->read();
        });
    }

    void read() {
        auto self = shared_from_this();
        socket_.async_read_some(asio::buffer(input_),
                                [self](const asio::error_code& ec, std::size_t n) { self->on_read(ec, n); });
    }

    void on_read(const asio::error_code& ec, std::size_t n) {
        if (ec == asio::error::eof)
            return finish(Error(ErrorCode::connect_failed,
                                proxy_name_ + " closed the connection during its handshake"));
        if (ec)
            return finish(
                Error(ErrorCode::connect_failed, "connection to " + proxy_name_ + " lost: " + ec.message()));
        auto used = handshake_->feed(ByteSpan(input_.data(), n));
        if (!used)
            return finish(std::move(used).error());
        if (!handshake_->done())
            return step();
        // TLS speaks first, so the server cannot have sent anything yet.
        if (*used != n)
            return finish(Error(ErrorCode::protocol_error, proxy_name_ + " sent data after its reply"));
        finish(Error{});
    }

    void finish(Error error) {
        auto done = std::move(done_);
        if (done)
            done(std::move(error));
    }

    asio::ip::tcp::socket& socket_;
    std::unique_ptr<proto::ProxyHandshake> handshake_;
    std::string proxy_name_;
    std::function<void(Error)> done_;
    Bytes output_;
    std::array<std::uint8_t, 1024> input_{};
};

}  // namespace

proto::ProxyTarget proxy_target(const std::string& host, std::uint16_t port) {
    proto::ProxyTarget target{host, port, {}};
    asio::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec)
        return target;
    if (address.is_v4()) {
        const auto bytes = address.to_v4().to_bytes();
        target.address.assign(bytes.begin(), bytes.end());
    } else {
        const auto bytes = address.to_v6().to_bytes();
        target.address.assign(bytes.begin(), bytes.end());
    }
    return target;
}

void run_proxy_handshake(asio::ip::tcp::socket& socket, std::unique_ptr<proto::ProxyHandshake> handshake,
                         std::string proxy_name, std::function<void(Error)> done) {
    std::make_shared<ProxyExchange>(socket, std::move(handshake), std::move(proxy_name), std::move(done))
        ->step();
}

}  // namespace vpnse::transport
