#pragma once
// The UDP acceleration socket of one session (softether-protocol-advanced.md 1.4): opened and protected
// before the login (its port goes into the login), started by the welcome's answer, keep-alives on their
// own timer, datagrams in as Ethernet frames, frames out while the path is ready. The rules live in
// session/udp_accel (sans-I/O); this is only the socket and the clock.
#include <array>
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "core/random.hpp"
#include "proto/login.hpp"
#include "session/udp_accel.hpp"
#include "transport/connection.hpp"
#include "transport/session.hpp"
#include "vpnse/log.hpp"

namespace vpnse::transport {

class UdpPath final : public std::enable_shared_from_this<UdpPath> {
  public:
    UdpPath(asio::io_context& io, RandomSource& rng, Logger logger);
    ~UdpPath();

    // Opens a socket on any address of the server's family with an OS-chosen port, passes it to the
    // host's protect hook, and makes fresh keys. An error means: offer no UDP acceleration.
    Status open(const asio::ip::udp& protocol, const ProtectSocket& protect);
    // What goes into the login. Secret keys: never log it.
    const proto::UdpAccelOffer& offer() const { return offer_; }

    // The welcome accepted the offer: keep-alives start at once, frames go to `on_frame`.
    Status start(const proto::UdpAccelAnswer& answer, const asio::ip::address& tcp_peer,
                 std::function<void(ByteSpan frame)> on_frame);
    // Sends one frame if the path is ready (proven both ways for 10 s); false: send it over TCP.
    bool send_frame(ByteSpan frame);
    void close();

    UdpPathStatus status() const;

  private:
    void receive_next();
    void on_readable();
    void handle_datagram(ByteSpan datagram, const asio::ip::udp::endpoint& from);
    void schedule_keepalive();
    void send_keepalives();
    bool ready_now();
    void send_datagram(const Bytes& datagram, const asio::ip::udp::endpoint& to);

    asio::io_context& io_;
    RandomSource& rng_;
    Logger logger_;
    asio::ip::udp::socket socket_;
    asio::steady_timer keepalive_timer_;
    proto::UdpAccelOffer offer_;
    bool offered_ = false;
    std::optional<session::UdpAccel> accel_;
    std::function<void(ByteSpan)> on_frame_;
    asio::ip::udp::endpoint destination_;
    asio::ip::udp::endpoint alternate_;  // the TCP peer at the same port, while not ready (5.01, 1.4)
    std::array<std::uint8_t, 2048> receive_buffer_{};
    asio::ip::udp::endpoint receive_from_;
    Bytes datagram_;
    bool was_ready_ = false;
    std::uint32_t fallbacks_ = 0;
    bool closed_ = false;
};

}  // namespace vpnse::transport
