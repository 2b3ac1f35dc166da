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
#include <vector>

#include "core/pooled_random.hpp"
#include "core/random.hpp"
#include "proto/login.hpp"
#include "session/udp_accel.hpp"
#include "transport/connection.hpp"
#include "transport/datagram_io.hpp"
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
    // Queues one frame if the path is ready (proven both ways for 10 s); false: send it over TCP. The
    // frames queued in one turn of the event loop (a burst read from the TUN) leave together, in as few
    // system calls as the platform allows (transport/datagram_io.hpp).
    bool send_frame(ByteSpan frame);
    void close();

    UdpAccelStats status() const;

  private:
    void receive_next();
    void on_readable();
    void handle_datagram(ByteSpan datagram, const asio::ip::udp::endpoint& from);
    void schedule_keepalive();
    void send_keepalives();
    bool ready_now();
    void send_datagram(const Bytes& datagram, const asio::ip::udp::endpoint& to);
    void flush_outgoing();

    asio::io_context& io_;
    RandomSource& rng_;              // the keys
    PooledRandom packet_rng_{rng_};  // padding and keep-alive jitter: no getrandom(2) per datagram
    Logger logger_;
    asio::ip::udp::socket socket_;
    asio::steady_timer keepalive_timer_;
    proto::UdpAccelOffer offer_;
    bool offered_ = false;
    std::optional<session::UdpAccel> accel_;
    std::function<void(ByteSpan)> on_frame_;
    asio::ip::udp::endpoint destination_;
    asio::ip::udp::endpoint alternate_;  // the TCP peer at the same port, while not ready (5.01, 1.4)
    // Reused for every batch: no allocation per datagram once the first bursts have sized them.
    std::vector<ReceivedDatagram> received_;
    Bytes datagram_;  // keep-alives
    Bytes outgoing_;  // sealed data datagrams back to back, waiting for the posted flush
    std::vector<std::size_t> outgoing_ends_;  // where each one in outgoing_ ends
    std::vector<OutgoingDatagram> outgoing_views_;
    DatagramSendState send_state_;
    bool flush_posted_ = false;
    bool was_ready_ = false;
    std::uint32_t fallbacks_ = 0;
    bool closed_ = false;
};

}  // namespace vpnse::transport
