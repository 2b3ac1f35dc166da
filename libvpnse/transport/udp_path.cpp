#include "transport/udp_path.hpp"

#include <asio/post.hpp>
#include <asio/socket_base.hpp>

namespace vpnse::transport {
namespace {
// Drain this many datagrams per wake-up before letting other handlers run (then continue at once).
constexpr std::size_t kDatagramsPerWake = 16 * kDatagramBatch;

bool is_transient(const asio::error_code& ec) {
    // ICMP-induced errors (port unreachable while the server's socket is not up, a route flapping) are
    // ignored as the official client does (1.8).
    return ec == asio::error::connection_refused || ec == asio::error::host_unreachable ||
           ec == asio::error::network_unreachable || ec == asio::error::would_block ||
           ec == asio::error::try_again || ec == asio::error::no_buffer_space ||
           ec == asio::error::message_size;
}

// Where the server said its UDP socket is (1.3, 1.4): its reported address, or the TCP peer when it
// reported none (0.0.0.0 or ::) or one of the other family, which this socket cannot reach.
asio::ip::address reported_address(const IpAddress& reported, const asio::ip::address& tcp_peer) {
    if (reported == Cidr::any(reported.family()).address || reported.is_v4() != tcp_peer.is_v4())
        return tcp_peer;
    if (reported.is_v4())
        return asio::ip::address_v4(std::array<std::uint8_t, 4>{reported.bytes()[0], reported.bytes()[1],
                                                                reported.bytes()[2], reported.bytes()[3]});
    asio::ip::address_v6 v6(reported.bytes());
    if (v6.is_link_local())
        v6.scope_id(tcp_peer.to_v6().scope_id());  // the PACK has no zone: the TCP connection's one
    return v6;
}
}  // namespace

UdpPath::UdpPath(asio::io_context& io, RandomSource& rng, Logger logger)
    : io_(io), rng_(rng), logger_(std::move(logger)), socket_(io), keepalive_timer_(io) {}

UdpPath::~UdpPath() {
    close();
}

Status UdpPath::open(const asio::ip::udp& protocol, const ProtectSocket& protect) {
    asio::error_code ec;
    socket_.open(protocol, ec);
    if (ec)
        return Error(ErrorCode::io_error, "UDP acceleration socket: " + ec.message());
    if (protect) {
        if (auto status = protect(static_cast<std::intptr_t>(socket_.native_handle())); !status) {
            socket_.close(ec);
            return status;
        }
    }
    socket_.non_blocking(true, ec);
    socket_.set_option(asio::socket_base::receive_buffer_size(4 << 20), ec);  // best effort
    socket_.set_option(asio::socket_base::send_buffer_size(4 << 20), ec);
    socket_.bind(asio::ip::udp::endpoint(protocol, 0), ec);
    if (ec) {
        socket_.close(ec);
        return Error(ErrorCode::io_error, "UDP acceleration socket: cannot bind: " + ec.message());
    }
    offer_.client_port = socket_.local_endpoint(ec).port();
    if (ec || offer_.client_port == 0) {
        socket_.close(ec);
        return Error(ErrorCode::io_error, "UDP acceleration socket has no port");
    }
    offer_.client_ip = Cidr::any(protocol == asio::ip::udp::v6() ? IpFamily::v6 : IpFamily::v4).address;
    rng_.fill(offer_.key_v1);
    rng_.fill(offer_.key_v2);
    offered_ = true;
    return {};
}

Status UdpPath::start(const proto::UdpAccelAnswer& answer, const asio::ip::address& tcp_peer,
                      std::function<void(ByteSpan frame)> on_frame) {
    session::UdpAccelParams params;
    const bool v2 = answer.version >= 2;
    params.version = v2 ? session::udp_accel::Version::v2 : session::udp_accel::Version::v1;
    params.encrypted = answer.use_encryption;
    params.own_key = v2 ? Bytes(offer_.key_v2.begin(), offer_.key_v2.end())
                        : Bytes(offer_.key_v1.begin(), offer_.key_v1.end());
    params.peer_key = v2 ? Bytes(answer.key_v2.begin(), answer.key_v2.end())
                         : Bytes(answer.key_v1.begin(), answer.key_v1.end());
    params.send_cookie = answer.server_cookie;
    params.receive_cookie = answer.client_cookie;
    params.fast_detect = answer.fast_detect;
    params.ipv6 = tcp_peer.is_v6();
    auto accel = session::UdpAccel::create(std::move(params), packet_rng_, Clock::now());
    if (!accel)
        return std::move(accel).error();
    accel_.emplace(std::move(accel).value());
    on_frame_ = std::move(on_frame);
    destination_ = {reported_address(answer.server_ip, tcp_peer), answer.server_port};
    alternate_ = {tcp_peer, answer.server_port};
    logger_.info("UDP acceleration negotiated",
                 {{"version", std::to_string(answer.version)},
                  {"server", destination_.address().to_string() + ":" + std::to_string(destination_.port())},
                  {"local_port", std::to_string(offer_.client_port)}});
    receive_next();
    send_keepalives();
    return {};
}

void UdpPath::receive_next() {
    std::weak_ptr<UdpPath> weak = shared_from_this();
    socket_.async_wait(asio::ip::udp::socket::wait_read, [weak](const asio::error_code& ec) {
        auto self = weak.lock();
        if (!self || self->closed_ || ec == asio::error::operation_aborted)
            return;
        self->on_readable();
    });
}

void UdpPath::on_readable() {
    // The owner may close us from inside on_frame: hold ourselves for the length of the loop.
    auto self = shared_from_this();
    if (received_.empty())
        received_.resize(kDatagramBatch);
    std::size_t handled = 0;
    while (!closed_) {
        if (handled >= kDatagramsPerWake) {
            // More may be waiting: continue after the other handlers, without waiting for readiness
            // again (an edge-triggered reactor would not report what is already there).
            std::weak_ptr<UdpPath> weak = self;
            asio::post(io_, [weak] {
                if (auto again = weak.lock(); again && !again->closed_)
                    again->on_readable();
            });
            return;
        }
        asio::error_code ec;
        const std::size_t count = receive_datagrams(socket_, received_, ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again)
            break;
        if (ec) {
            if (is_transient(ec)) {
                ++handled;
                continue;
            }
            // A better client than the official one: a broken UDP socket means TCP only, not a lost session.
            logger_.warn("UDP acceleration socket failed; data stays on TCP", {{"reason", ec.message()}});
            close();
            return;
        }
        for (std::size_t i = 0; i < count && !closed_; ++i)
            handle_datagram(ByteSpan(received_[i].bytes.data(), received_[i].size), received_[i].from);
        handled += count;
        // Even after a short batch, ask again rather than wait for readiness: under load more datagrams
        // arrive while a batch is handled, and reading them now is cheaper than a wake-up (measured:
        // stopping at a short batch cost 5-8 % more CPU per GB, docs/performance.md).
    }
    if (!closed_)
        receive_next();
}

void UdpPath::handle_datagram(ByteSpan datagram, const asio::ip::udp::endpoint& from) {
    const auto got = accel_->receive(datagram, Clock::now());
    if (got.verdict == session::UdpAccel::Verdict::dropped)
        return;
    if (got.adopt_source)
        destination_ = from;  // roaming / NAT: the newest peer tick's source is where it lives (1.4)
    if (got.verdict == session::UdpAccel::Verdict::frame && on_frame_)
        on_frame_(got.frame);
}

bool UdpPath::ready_now() {
    if (!accel_ || closed_)
        return false;
    const bool ready = accel_->ready(Clock::now());
    if (ready != was_ready_) {
        was_ready_ = ready;
        if (!ready)
            ++fallbacks_;
        logger_.info(
            ready ? "data over UDP" : "UDP path quiet: data back over TCP",
            {{"server", destination_.address().to_string() + ":" + std::to_string(destination_.port())}});
    }
    return ready;
}

bool UdpPath::send_frame(ByteSpan frame) {
    if (frame.size() > session::udp_accel::kMaxFrameSize || !ready_now())
        return false;
    accel_->seal_frame(frame, Clock::now(), outgoing_);
    outgoing_ends_.push_back(outgoing_.size());
    if (!flush_posted_) {
        flush_posted_ = true;
        std::weak_ptr<UdpPath> weak = shared_from_this();
        asio::post(io_, [weak] {
            if (auto self = weak.lock())
                self->flush_outgoing();
        });
    }
    return true;
}

void UdpPath::flush_outgoing() {
    flush_posted_ = false;
    if (!closed_ && !outgoing_ends_.empty()) {
        outgoing_views_.clear();
        std::size_t begin = 0;
        for (const std::size_t end : outgoing_ends_) {
            outgoing_views_.push_back({ByteSpan(outgoing_.data() + begin, end - begin), destination_});
            begin = end;
        }
        std::span<const OutgoingDatagram> left(outgoing_views_);
        while (!left.empty()) {
            asio::error_code ec;
            left = left.subspan(send_datagrams(socket_, left, ec, send_state_));
            if (!ec || ec == asio::error::would_block || ec == asio::error::try_again ||
                ec == asio::error::no_buffer_space)
                break;  // all sent, or the socket buffer is full: the rest is lost, as UDP may lose it
            if (!left.empty())
                left = left.subspan(1);  // an error for this one (e.g. ICMP-induced): skip it
        }
    }
    outgoing_.clear();  // keeps its capacity
    outgoing_ends_.clear();
}

void UdpPath::send_datagram(const Bytes& datagram, const asio::ip::udp::endpoint& to) {
    asio::error_code ec;
    socket_.send_to(asio::buffer(datagram), to, 0, ec);  // a full socket buffer drops it, as UDP may
}

void UdpPath::schedule_keepalive() {
    std::weak_ptr<UdpPath> weak = shared_from_this();
    keepalive_timer_.expires_at(accel_->next_keepalive());
    keepalive_timer_.async_wait([weak](const asio::error_code& ec) {
        auto self = weak.lock();
        if (!self || self->closed_ || ec)
            return;
        self->send_keepalives();
    });
}

void UdpPath::send_keepalives() {
    const auto now = Clock::now();
    datagram_.clear();
    if (accel_->maybe_keepalive(now, datagram_)) {
        send_datagram(datagram_, destination_);
        if (!ready_now() && alternate_ != destination_)
            send_datagram(datagram_, alternate_);
    }
    ready_now();  // notices a quiet path even when no data is being sent
    schedule_keepalive();
}

void UdpPath::close() {
    if (closed_)
        return;
    closed_ = true;
    asio::error_code ec;
    keepalive_timer_.cancel();
    socket_.close(ec);
}

UdpAccelStats UdpPath::status() const {
    UdpAccelStats out;
    out.offered = offered_;
    out.supported = accel_.has_value();
    out.active = was_ready_ && !closed_;
    out.version = accel_ ? static_cast<std::uint32_t>(accel_->params().version) : 0;
    out.fallbacks = fallbacks_;
    if (accel_) {
        const auto& c = accel_->counters();
        out.datagrams_sent = c.datagrams_sent;
        out.datagrams_received = c.datagrams_received;
        out.datagrams_dropped = c.datagrams_dropped;
        out.frames_sent = c.frames_sent;
        out.frames_received = c.frames_received;
        out.bytes_sent = c.bytes_sent;
        out.bytes_received = c.bytes_received;
    }
    return out;
}

}  // namespace vpnse::transport
