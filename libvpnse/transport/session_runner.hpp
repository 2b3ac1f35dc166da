#pragma once
// Runs one SoftEther session over Asio: the login connection, additional connections, the data
// channels with their keep-alives and time-outs, and the spreading of outgoing frames over the
// connections. One attempt only: when the session is lost it reports why and stops; reconnecting is
// the client's decision.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "proto/framing.hpp"
#include "proto/login.hpp"
#include "session/data_channel.hpp"
#include "session/handshake.hpp"
#include "tls/tls_session.hpp"
#include "transport/connection.hpp"
#include "transport/session.hpp"
#include "transport/udp_path.hpp"
#include "vpnse/log.hpp"

namespace vpnse::transport {

class SessionRunner final : public Session, public std::enable_shared_from_this<SessionRunner> {
  public:
    using Callbacks = SessionCallbacks;

    SessionRunner(asio::io_context& io, std::shared_ptr<tls::TlsContext> tls, SessionSettings settings,
                  RandomSource& rng, Logger logger, ConnectionFactory connections = make_tls_connection);
    ~SessionRunner() override;

    void start(Callbacks callbacks) override;
    bool send_frame(ByteSpan frame) override;
    void stop() override;

    OpenConnections open_connections() const override;
    std::uint64_t dropped_frames() const override { return dropped_frames_; }
    UdpAccelStats udp_status() const override { return udp_ ? udp_->status() : UdpAccelStats{}; }

  private:
    struct Link {
        std::shared_ptr<Connection> connection;
        std::unique_ptr<session::Handshake> handshake;
        std::unique_ptr<session::DataChannel> channel;
        bool additional = false;
    };
    class FrameSink;

    void on_resolved(const asio::error_code& ec, const asio::ip::tcp::resolver::results_type& results);
    std::shared_ptr<Link> open_link(bool additional);
    void on_link_data(const std::shared_ptr<Link>& link, ByteSpan data);
    void on_handshake_done(const std::shared_ptr<Link>& link);
    void follow_redirect(const std::shared_ptr<Link>& link, const proto::Redirect& redirect);
    std::string host_header() const;
    void start_data_channel(const std::shared_ptr<Link>& link, bool can_send, bool can_receive);
    void add_connections();
    void flush(Link& link);
    Link* pick_link();
    void schedule_tick();
    void on_tick();
    void lose(Error reason);
    void open_udp();
    void start_udp();

    asio::io_context& io_;
    asio::ip::tcp::resolver resolver_;
    asio::steady_timer tick_timer_;
    std::shared_ptr<tls::TlsContext> tls_;
    SessionSettings settings_;
    RandomSource& rng_;
    Logger logger_;
    Callbacks callbacks_;
    ConnectionFactory connections_;

    asio::ip::tcp::endpoint endpoint_;
    Bytes server_cert_;
    // After a cluster redirect: the member's certificate as the controller announced it, and the ticket
    // the login carries instead of the credentials.
    std::optional<Bytes> redirect_cert_;
    std::optional<std::array<std::uint8_t, 20>> ticket_;
    int redirects_ = 0;
    SessionInfo info_;
    TimePoint started_at_{};
    bool established_ = false;
    bool finished_ = false;
    std::vector<std::shared_ptr<Link>> links_;
    std::uint32_t additional_wanted_ = 0;

    // Frames waiting for a connection that can take them; reused buffers, no per-frame allocation in
    // steady state.
    // Uncompressed sessions: the pending frames already in wire format (count, then length + frame).
    Bytes pending_wire_;
    proto::BatchBuilder pending_batch_;  // the batch being written into pending_wire_
    // Compressed sessions: the pending frames, compressed at flush.
    std::vector<Bytes> pending_;
    std::size_t pending_count_ = 0;
    bool flush_posted_ = false;
    std::vector<ByteSpan> batch_views_;
    Bytes batch_;
    std::uint64_t dropped_frames_ = 0;
    std::shared_ptr<UdpPath> udp_;  // only while UDP acceleration is offered or running
};

}  // namespace vpnse::transport
