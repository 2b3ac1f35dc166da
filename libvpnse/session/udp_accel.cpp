#include "session/udp_accel.hpp"

#include <zlib.h>

namespace vpnse::session {
namespace {
constexpr std::size_t kKeepaliveMaxSize = 1000;  // 1.5.5
constexpr std::size_t kDataMaxSizeV4 = 1426;
constexpr std::size_t kDataMaxSizeV6 = 1406;
}  // namespace

Result<UdpAccel> UdpAccel::create(UdpAccelParams params, RandomSource& rng, TimePoint now) {
    if (params.send_cookie == 0 || params.receive_cookie == 0)
        return Error(ErrorCode::invalid_argument, "UDP acceleration: the welcome's cookies must not be 0");
    auto sender = udp_accel::DatagramCipher::create(params.version, params.own_key, params.encrypted);
    if (!sender)
        return std::move(sender).error();
    auto receiver = udp_accel::DatagramCipher::create(params.version, params.peer_key, params.encrypted);
    if (!receiver)
        return std::move(receiver).error();
    return UdpAccel(std::move(params), std::move(sender).value(), std::move(receiver).value(), rng, now);
}

UdpAccel::UdpAccel(UdpAccelParams params, udp_accel::DatagramCipher sender,
                   udp_accel::DatagramCipher receiver, RandomSource& rng, TimePoint now)
    : params_(std::move(params)),
      sender_(std::move(sender)),
      receiver_(std::move(receiver)),
      rng_(&rng),
      epoch_(now),
      next_keepalive_(now) {}

// Milliseconds on the clock our echoes come back on; never 0 (1.5.1).
std::uint64_t UdpAccel::tick(TimePoint now) const {
    const auto since = std::chrono::duration_cast<Duration>(now - epoch_).count();
    return static_cast<std::uint64_t>(since < 0 ? 0 : since) + 1;
}

Duration UdpAccel::keepalive_span() {
    // [500, 1000) ms with fast detection, [1000, 3000) ms without (1.7).
    return params_.fast_detect ? Duration(500 + rng_->uniform(500)) : Duration(1000 + rng_->uniform(2000));
}

UdpAccel::Received UdpAccel::receive(ByteSpan datagram, TimePoint now) {
    Received result;
    auto opened = receiver_.open(datagram);
    // 1.6 in order: decrypt, cookie, sizes (open() checked them), the 30 s window.
    if (!opened || opened->header.cookie != params_.receive_cookie ||
        (highest_peer_tick_ > static_cast<std::uint64_t>(kWindow.count()) &&
         opened->header.my_tick < highest_peer_tick_ - static_cast<std::uint64_t>(kWindow.count()))) {
        ++counters_.datagrams_dropped;
        return result;
    }
    const bool newer = opened->header.my_tick > highest_peer_tick_;
    highest_peer_tick_ = std::max(highest_peer_tick_, opened->header.my_tick);
    highest_echo_ = std::max(highest_echo_, opened->header.your_tick);
    ++counters_.datagrams_received;
    counters_.bytes_received += datagram.size();
    result.adopt_source = newer;

    // Liveness only from an echo of one of our own ticks within the window (1.6 step 8).
    if (highest_echo_ != 0 && highest_echo_ + static_cast<std::uint64_t>(kWindow.count()) >= tick(now)) {
        last_recv_ = now;
        if (!first_stable_)
            first_stable_ = now;
        ever_alive_ = true;
    }

    if (opened->payload.empty()) {
        result.verdict = Verdict::keepalive;
        return result;
    }
    ByteSpan frame = opened->payload;
    if (opened->header.compressed) {
        inflated_.resize(udp_accel::kMaxFrameSize);
        uLongf size = static_cast<uLongf>(inflated_.size());
        if (::uncompress(inflated_.data(), &size, frame.data(), static_cast<uLong>(frame.size())) != Z_OK) {
            ++counters_.datagrams_dropped;
            return result;  // corrupt, or over 1600 bytes once inflated
        }
        frame = ByteSpan(inflated_.data(), size);
    }
    if (frame.size() > udp_accel::kMaxFrameSize) {
        ++counters_.datagrams_dropped;
        return result;
    }
    ++counters_.frames_received;
    result.verdict = Verdict::frame;
    result.frame = frame;
    return result;
}

bool UdpAccel::ready(TimePoint now) {
    if (!last_recv_ || now > *last_recv_ + timeout()) {
        first_stable_.reset();
        return false;
    }
    return first_stable_ && now >= *first_stable_ + kStableSpan;
}

void UdpAccel::seal(ByteSpan payload, std::size_t max_size, udp_accel::Padding rule, TimePoint now,
                    Bytes& out) {
    const std::size_t before = out.size();
    const udp_accel::InnerHeader header{params_.send_cookie, tick(now), highest_peer_tick_, false};
    sender_.seal_next(header, payload, max_size, rule, *rng_, out);
    ++counters_.datagrams_sent;
    counters_.bytes_sent += out.size() - before;
}

void UdpAccel::seal_frame(ByteSpan frame, TimePoint now, Bytes& out) {
    seal(frame, params_.ipv6 ? kDataMaxSizeV6 : kDataMaxSizeV4, udp_accel::Padding::bucketed, now, out);
    ++counters_.frames_sent;
}

bool UdpAccel::maybe_keepalive(TimePoint now, Bytes& out) {
    if (now < next_keepalive_)
        return false;
    seal({}, kKeepaliveMaxSize, udp_accel::Padding::random, now, out);
    next_keepalive_ = now + keepalive_span();
    return true;
}

}  // namespace vpnse::session
