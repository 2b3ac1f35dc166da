#include "transport/session_runner.hpp"

#include <algorithm>
#include <asio/ip/address_v4.hpp>
#include <asio/post.hpp>

#include "proto/http.hpp"

namespace vpnse::transport {
namespace {
constexpr auto kTick = std::chrono::milliseconds(500);
// The server gives up on a silent handshake after about 15 s (softether-protocol.md 2.1).
constexpr auto kHandshakeTimeout = std::chrono::seconds(20);
// A controller sends the client to a member, which never redirects again; more than this is a loop.
constexpr int kMaxRedirects = 3;
}  // namespace

class SessionRunner::FrameSink final : public proto::FrameDecoder::Sink {
  public:
    explicit FrameSink(SessionRunner& runner) : runner_(runner) {}
    void on_frame(ByteSpan frame) override {
        // The owner may stop the session from inside the previous frame's callback.
        if (!runner_.finished_ && runner_.callbacks_.on_frame)
            runner_.callbacks_.on_frame(frame);
    }
    void on_keepalive() override {}

  private:
    SessionRunner& runner_;
};

SessionRunner::SessionRunner(asio::io_context& io, std::shared_ptr<tls::TlsContext> tls,
                             SessionSettings settings, RandomSource& rng, Logger logger,
                             ConnectionFactory connections)
    : io_(io),
      resolver_(io),
      tick_timer_(io),
      tls_(std::move(tls)),
      settings_(std::move(settings)),
      rng_(rng),
      logger_(std::move(logger)),
      connections_(std::move(connections)) {}

SessionRunner::~SessionRunner() {
    for (auto& link : links_) {
        link->connection->detach();
        link->connection->close_gracefully();
    }
}

void SessionRunner::start(Callbacks callbacks) {
    callbacks_ = std::move(callbacks);
    started_at_ = Clock::now();
    schedule_tick();
    std::weak_ptr<SessionRunner> weak = shared_from_this();
    // With a proxy only the proxy is resolved here; the server's name is the proxy's business.
    const bool proxied = settings_.proxy.has_value();
    resolver_.async_resolve(
        proxied ? settings_.proxy->host : settings_.host,
        std::to_string(proxied ? settings_.proxy->port : settings_.port),
        [weak](const asio::error_code& ec, const asio::ip::tcp::resolver::results_type& results) {
            if (auto self = weak.lock())
                self->on_resolved(ec, results);
        });
}

void SessionRunner::on_resolved(const asio::error_code& ec,
                                const asio::ip::tcp::resolver::results_type& results) {
    if (finished_)
        return;
    const std::string what = settings_.proxy ? "proxy " + settings_.proxy->host : "server " + settings_.host;
    if (ec || results.empty())
        return lose(
            Error(ErrorCode::resolve_failed, "cannot resolve " + what + (ec ? ": " + ec.message() : "")));
    endpoint_ = results.begin()->endpoint();
    info_.server = endpoint_;
    const std::string peer = endpoint_.address().to_string() + ":" + std::to_string(endpoint_.port());
    if (settings_.proxy) {
        logger_.info("connecting", {{"server", settings_.host + ":" + std::to_string(settings_.port)},
                                    {"proxy", peer},
                                    {"hub", settings_.login.hub},
                                    {"user", settings_.login.username}});
    } else {
        logger_.info("connecting",
                     {{"server", peer}, {"hub", settings_.login.hub}, {"user", settings_.login.username}});
    }
    open_udp();
    if (finished_)
        return;  // the host stopped the session from inside its protect hook
    open_link(false);
}

void SessionRunner::open_udp() {
    // Like the official client: only a direct connection tries UDP (1.4), in the TCP connection's family.
    if (!settings_.udp_acceleration || settings_.proxy)
        return;
    udp_ = std::make_shared<UdpPath>(io_, rng_, logger_.child("udp"));
    const auto family = endpoint_.address().is_v4() ? asio::ip::udp::v4() : asio::ip::udp::v6();
    if (auto status = udp_->open(family, settings_.protect_socket); !status) {
        logger_.warn("no UDP acceleration", {{"reason", status.error().to_string()}});
        udp_.reset();
    }
}

void SessionRunner::start_udp() {
    if (!udp_)
        return;
    if (!info_.welcome.udp_accel) {
        logger_.info("the server did not accept UDP acceleration; data stays on TCP");
        udp_->close();
        return;
    }
    std::weak_ptr<SessionRunner> weak = shared_from_this();
    auto on_frame = [weak](ByteSpan frame) {
        auto self = weak.lock();
        if (self && !self->finished_ && self->callbacks_.on_frame)
            self->callbacks_.on_frame(frame);
    };
    if (auto status = udp_->start(*info_.welcome.udp_accel, endpoint_.address(), std::move(on_frame));
        !status) {
        logger_.warn("UDP acceleration not started", {{"reason", status.error().to_string()}});
        udp_->close();
    }
}

std::shared_ptr<SessionRunner::Link> SessionRunner::open_link(bool additional) {
    auto link = std::make_shared<Link>();
    link->additional = additional;
    ConnectionOptions options{tls_, additional ? std::optional<Bytes>(server_cert_) : redirect_cert_,
                              settings_.protect_socket, logger_.child(additional ? "additional" : "main"),
                              std::nullopt};
    if (settings_.proxy)
        options.proxy = ProxyRoute{*settings_.proxy, proxy_target(settings_.host, settings_.port)};
    link->connection = connections_(io_, std::move(options));

    session::Handshake::RequestBuilder builder;
    if (additional) {
        builder = [this](const proto::Hello&) -> Result<proto::Pack> {
            return proto::build_additional_connect_pack(info_.welcome.session_key, settings_.login.identity);
        };
    } else {
        builder = [this](const proto::Hello& hello) -> Result<proto::Pack> {
            info_.hello = hello;
            if (!ticket_ && !udp_)
                return proto::build_login_pack(settings_.login, hello);
            auto login = settings_.login;
            if (ticket_) {
                login.auth = proto::AuthType::ticket;
                login.ticket = *ticket_;
            }
            if (udp_)
                login.udp_accel = udp_->offer();
            return proto::build_login_pack(login, hello);
        };
    }
    link->handshake = std::make_unique<session::Handshake>(host_header(), std::move(builder), rng_);
    links_.push_back(link);

    std::weak_ptr<SessionRunner> weak_self = shared_from_this();
    std::weak_ptr<Link> weak_link = link;
    Connection::Callbacks callbacks;
    callbacks.on_open = [weak_self, weak_link] {
        auto self = weak_self.lock();
        auto l = weak_link.lock();
        if (!self || !l || self->finished_)
            return;
        l->connection->send(l->handshake->begin());
    };
    callbacks.on_data = [weak_self, weak_link](ByteSpan data) {
        auto self = weak_self.lock();
        auto l = weak_link.lock();
        if (self && l && !self->finished_)
            self->on_link_data(l, data);
    };
    callbacks.on_writable = [weak_self, weak_link] {
        auto self = weak_self.lock();
        auto l = weak_link.lock();
        if (self && l && !self->finished_ && l->channel && l->channel->options().can_send)
            self->flush(*l);
    };
    callbacks.on_closed = [weak_self, weak_link](const Error& reason) {
        auto self = weak_self.lock();
        auto l = weak_link.lock();
        if (!self || !l || self->finished_)
            return;
        if (l->additional && !l->channel) {
            // An additional connection that never joined: the session goes on without it.
            self->logger_.warn("additional connection failed", {{"reason", reason.to_string()}});
            std::erase(self->links_, l);
            return;
        }
        // One connection of a session dying usually takes the others with it on 5.01 servers
        // (softether-protocol.md 11.6); a full re-login is the robust answer.
        self->lose(reason ? reason : Error(ErrorCode::disconnected, "the server closed a connection"));
    };
    link->connection->start(endpoint_, std::move(callbacks));
    return link;
}

void SessionRunner::on_link_data(const std::shared_ptr<Link>& link, ByteSpan data) {
    if (link->channel) {
        FrameSink sink(*this);
        if (auto status = link->channel->feed(data, Clock::now(), sink); !status) {
            lose(Error(status.error().code(), "data channel: " + status.error().message()));
        }
        return;
    }
    auto consumed = link->handshake->feed(data);
    if (!consumed) {
        if (link->additional) {
            logger_.warn("additional connection handshake failed",
                         {{"reason", consumed.error().to_string()}});
            link->connection->detach();
            link->connection->close_gracefully();
            std::erase(links_, link);
            return;
        }
        return lose(std::move(consumed).error());
    }
    if (Bytes request = link->handshake->take_output(); !request.empty()) {
        link->connection->send(request);
        if (!link->additional && callbacks_.on_authenticating)
            callbacks_.on_authenticating();
        if (finished_)
            return;
    }
    if (!link->handshake->done())
        return;
    on_handshake_done(link);
    if (finished_ || !link->channel)
        return;
    if (*consumed < data.size())
        on_link_data(link, data.subspan(*consumed));
}

void SessionRunner::on_handshake_done(const std::shared_ptr<Link>& link) {
    const bool encrypt = info_.welcome.use_encrypt;
    if (link->additional) {
        auto direction = proto::parse_additional_connect_reply(link->handshake->reply());
        if (!direction) {
            logger_.info("server refused an additional connection",
                         {{"reason", direction.error().to_string()}});
            if (direction.error().code() == ErrorCode::too_many_connections)
                additional_wanted_ = 0;
            link->connection->detach();
            link->connection->close_gracefully();
            std::erase(links_, link);
            return;
        }
        if (!encrypt)
            link->connection->switch_to_raw();
        const bool can_send = *direction != proto::Direction::server_to_client;
        const bool can_receive = *direction != proto::Direction::client_to_server;
        start_data_channel(link, can_send, can_receive);
        logger_.debug("additional connection joined",
                      {{"connections", std::to_string(open_connections().total)}});
        return;
    }

    auto reply =
        proto::parse_login_reply(link->handshake->reply(), settings_.login.username, settings_.login.hub);
    if (!reply)
        return lose(std::move(reply).error());
    if (const auto* redirect = std::get_if<proto::Redirect>(&*reply))
        return follow_redirect(link, *redirect);
    info_.welcome = std::get<proto::Welcome>(std::move(*reply));
    if (settings_.login.use_encrypt && !info_.welcome.use_encrypt && !settings_.allow_unencrypted) {
        return lose(Error(ErrorCode::protocol_error,
                          "the server turned off encryption of the data channel; refusing (set "
                          "session.allow_unencrypted to accept)"));
    }
    if (!info_.welcome.use_encrypt)
        link->connection->switch_to_raw();
    server_cert_ = link->connection->peer_certificate_der();
    // The certificate the profile's rule checked (and tofu records): the controller's after a redirect.
    if (!redirect_cert_)
        info_.server_cert_sha256 = tls::sha256(server_cert_);
    info_.tls = link->connection->tls_description();
    established_ = true;
    // With half_connection the login connection only carries client-to-server traffic (11.4).
    start_data_channel(link, true, !info_.welcome.half_connection);
    const auto allowed = std::clamp<std::uint32_t>(
        std::min(info_.welcome.max_connection, settings_.login.max_connection), 1, 32);
    additional_wanted_ = allowed - 1;
    logger_.info("session established", {{"session", info_.welcome.session_name},
                                         {"max_connections", std::to_string(allowed)},
                                         {"encrypt", info_.welcome.use_encrypt ? "yes" : "no"},
                                         {"compress", info_.welcome.use_compress ? "yes" : "no"},
                                         {"tls", info_.tls}});
    add_connections();
    start_udp();
    if (callbacks_.on_established)
        callbacks_.on_established(info_);
}

// The server does not check the Host header (softether-protocol.md 3.2); through a proxy the server's own
// name is the honest value.
std::string SessionRunner::host_header() const {
    const std::string host_address = settings_.proxy ? settings_.host : endpoint_.address().to_string();
    return host_address.find(':') != std::string::npos ? "[" + host_address + "]" : host_address;
}

// softether-protocol.md 12: answer with one empty PACK, close, log in at the member with the ticket,
// requiring the certificate the controller announced (the controller's own was verified by the profile).
void SessionRunner::follow_redirect(const std::shared_ptr<Link>& link, const proto::Redirect& redirect) {
    if (++redirects_ > kMaxRedirects)
        return lose(Error(ErrorCode::protocol_error, "the server farm redirected more than " +
                                                         std::to_string(kMaxRedirects) + " times (a loop?)"));
    if (redirect.ports.empty() || redirect.cert.empty())
        return lose(Error(ErrorCode::protocol_error, "cluster redirect without ports or certificate"));
    const auto& ports = redirect.ports;
    const std::uint16_t port =
        std::find(ports.begin(), ports.end(), settings_.port) != ports.end() ? settings_.port : ports.front();
    const asio::ip::address_v4 member(redirect.ip);
    logger_.info("redirected to a cluster member",
                 {{"member", member.to_string() + ":" + std::to_string(port)},
                  {"redirects", std::to_string(redirects_)}});

    info_.server_cert_sha256 = tls::sha256(link->connection->peer_certificate_der());
    link->connection->send(proto::build_pack_request(host_header(), proto::Pack{}, rng_));
    link->connection->detach();
    link->connection->close_gracefully();
    std::erase(links_, link);

    redirect_cert_ = redirect.cert;
    ticket_ = redirect.ticket;
    settings_.host = member.to_string();  // through a proxy, the proxy is asked for the member
    settings_.port = port;
    if (!settings_.proxy) {
        const bool family_changed = endpoint_.address().is_v4() != asio::ip::address(member).is_v4();
        endpoint_ = asio::ip::tcp::endpoint(member, port);
        info_.server = endpoint_;
        if (family_changed && udp_) {  // an IPv6 controller sent us to an IPv4 member: a socket of its family
            udp_->close();
            udp_.reset();
            open_udp();
            if (finished_)
                return;
        }
    }
    open_link(false);
}

void SessionRunner::start_data_channel(const std::shared_ptr<Link>& link, bool can_send, bool can_receive) {
    session::DataChannel::Options options;
    options.compressed = info_.welcome.use_compress;
    options.timeout = Duration(info_.welcome.timeout_ms);
    options.can_send = can_send;
    options.can_receive = can_receive;
    const auto now = Clock::now();
    link->channel = std::make_unique<session::DataChannel>(options, rng_, now);
    Bytes keepalive;
    if (link->channel->maybe_keepalive(now, keepalive))
        link->connection->send(keepalive);
    if (can_send)
        flush(*link);
}

void SessionRunner::add_connections() {
    std::uint32_t current = static_cast<std::uint32_t>(links_.size()) - 1;
    for (; current < additional_wanted_; ++current)
        open_link(true);
}

bool SessionRunner::send_frame(ByteSpan frame) {
    if (!established_ || finished_)
        return false;
    // Over UDP while its path is ready, the whole burst (1.8); TCP otherwise.
    if (udp_ && pending_count_ == 0 && udp_->send_frame(frame))
        return true;
    if (pending_count_ >= settings_.max_pending_frames) {
        ++dropped_frames_;
        return false;
    }
    if (!info_.welcome.use_compress) {
        // Uncompressed (the usual case): the frame goes straight into the wire format of the next
        // batch, so it is copied once here and once more by TLS, and never again.
        if (!proto::frame_sendable(frame)) {
            ++dropped_frames_;
            return false;
        }
        pending_batch_.append(pending_wire_, frame);
    } else {
        if (pending_.size() <= pending_count_)
            pending_.emplace_back();
        pending_[pending_count_].assign(frame.begin(), frame.end());
    }
    ++pending_count_;
    // Flush once the current burst of frames is queued (e.g. every packet read from the TUN in one
    // wake-up), so that a burst becomes one batch, one TLS write and one socket write.
    if (!flush_posted_) {
        flush_posted_ = true;
        std::weak_ptr<SessionRunner> weak = shared_from_this();
        asio::post(io_, [weak] {
            auto self = weak.lock();
            if (!self)
                return;
            self->flush_posted_ = false;
            if (self->finished_)
                return;
            if (Link* link = self->pick_link())
                self->flush(*link);
        });
    }
    return true;
}

SessionRunner::Link* SessionRunner::pick_link() {
    for (auto& link : links_) {
        if (link->channel && link->channel->options().can_send && link->connection->open() &&
            !link->connection->write_pending()) {
            return link.get();
        }
    }
    return nullptr;
}

void SessionRunner::flush(Link& link) {
    if (pending_count_ == 0)
        return;
    if (!info_.welcome.use_compress) {
        pending_batch_.finish(pending_wire_);
        link.channel->frames_sent(Clock::now());
        pending_count_ = 0;
        link.connection->send(pending_wire_);
        pending_wire_.clear();  // keeps its capacity
        return;
    }
    batch_views_.clear();
    for (std::size_t i = 0; i < pending_count_; ++i)
        batch_views_.emplace_back(pending_[i]);
    batch_.clear();
    link.channel->encode_frames(batch_views_, Clock::now(), batch_);
    pending_count_ = 0;
    link.connection->send(batch_);
}

void SessionRunner::schedule_tick() {
    std::weak_ptr<SessionRunner> weak = shared_from_this();
    tick_timer_.expires_after(kTick);
    tick_timer_.async_wait([weak](const asio::error_code& ec) {
        if (ec)
            return;
        if (auto self = weak.lock())
            self->on_tick();
    });
}

void SessionRunner::on_tick() {
    if (finished_)
        return;
    const auto now = Clock::now();
    if (!established_ && now - started_at_ > kHandshakeTimeout) {
        return lose(Error(ErrorCode::timeout,
                          "no answer from " + settings_.host + ":" + std::to_string(settings_.port) +
                              (settings_.proxy ? " through " + proto::describe_proxy(*settings_.proxy) : "") +
                              " within 20 s"));
    }
    for (auto& link : links_) {
        if (!link->channel)
            continue;
        if (link->channel->receive_timed_out(now)) {
            return lose(Error(ErrorCode::session_timeout,
                              "nothing received from the server for " +
                                  std::to_string(link->channel->options().timeout.count() / 1000) + " s"));
        }
        Bytes keepalive;
        if (link->channel->maybe_keepalive(now, keepalive))
            link->connection->send(keepalive);
    }
    schedule_tick();
}

void SessionRunner::lose(Error reason) {
    if (finished_)
        return;
    logger_.info("session lost", {{"reason", reason.to_string()}});
    auto on_lost = std::move(callbacks_.on_lost);
    stop();
    if (on_lost)
        on_lost(reason);
}

void SessionRunner::stop() {
    if (finished_)
        return;
    finished_ = true;
    tick_timer_.cancel();
    resolver_.cancel();
    if (udp_)
        udp_->close();
    for (auto& link : links_) {
        link->connection->detach();
        link->connection->close_gracefully();
    }
    links_.clear();
    // The callbacks stay until destruction: stop() may run inside one of them (finished_ silences them).
}

OpenConnections SessionRunner::open_connections() const {
    OpenConnections out;
    for (const auto& link : links_) {
        if (!link->channel || !link->connection->open())
            continue;
        ++out.total;
        out.upload += link->channel->options().can_send ? 1 : 0;
        out.download += link->channel->options().can_receive ? 1 : 0;
    }
    return out;
}

namespace {
class TcpSessionFactory final : public SessionFactory {
  public:
    std::shared_ptr<Session> create(asio::io_context& io, std::shared_ptr<tls::TlsContext> tls,
                                    SessionSettings settings, RandomSource& rng, Logger logger) override {
        return std::make_shared<SessionRunner>(io, std::move(tls), std::move(settings), rng,
                                               std::move(logger));
    }
};
}  // namespace

std::shared_ptr<SessionFactory> tcp_session_factory() {
    static const auto factory = std::make_shared<TcpSessionFactory>();
    return factory;
}

}  // namespace vpnse::transport
