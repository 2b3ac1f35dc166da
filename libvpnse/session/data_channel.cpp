#include "session/data_channel.hpp"

namespace vpnse::session {

DataChannel::DataChannel(Options options, RandomSource& rng, TimePoint now)
    : options_(options),
      rng_(rng),
      decoder_(options.compressed),
      encoder_(options.compressed),
      last_receive_(now),
      next_keepalive_(now) {}  // the first keep-alive goes out right away (10.3)

Status DataChannel::feed(ByteSpan data, TimePoint now, proto::FrameDecoder::Sink& sink) {
    // Any bytes count as life; a complete block arriving is what the server checks, but TCP delivers
    // blocks whole soon enough that the difference never reaches the time-out.
    if (!data.empty())
        last_receive_ = now;
    return decoder_.feed(data, sink);
}

void DataChannel::encode_frames(std::span<const ByteSpan> frames, TimePoint now, Bytes& out) {
    if (frames.empty())
        return;
    encoder_.encode_batch(frames, out);
    next_keepalive_ = now + keepalive_span();
}

bool DataChannel::maybe_keepalive(TimePoint now, Bytes& out) {
    if (!options_.can_send || now < next_keepalive_)
        return false;
    encoder_.encode_keepalive(rng_, out);
    next_keepalive_ = now + keepalive_span();
    return true;
}

bool DataChannel::receive_timed_out(TimePoint now) const {
    return options_.can_receive && now - last_receive_ >= options_.timeout;
}

TimePoint DataChannel::next_deadline() const {
    TimePoint deadline = TimePoint::max();
    if (options_.can_send)
        deadline = next_keepalive_;
    if (options_.can_receive)
        deadline = std::min(deadline, last_receive_ + options_.timeout);
    return deadline;
}

Duration DataChannel::keepalive_span() {
    // Uniform in [timeout/5, timeout/2), like the official client and server (10.3).
    const auto low = options_.timeout.count() / 5;
    const auto high = options_.timeout.count() / 2;
    return Duration(low + rng_.uniform(static_cast<std::uint32_t>(high - low)));
}

}  // namespace vpnse::session
