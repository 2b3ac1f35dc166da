#pragma once
// The data channel of one TCP connection (softether-protocol.md 10): framing, keep-alive cadence and
// the receive time-out. Sans-I/O: bytes and `now` in, bytes and the next deadline out.
#include <span>

#include "core/bytes.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "proto/framing.hpp"
#include "vpnse/result.hpp"

namespace vpnse::session {

class DataChannel {
  public:
    struct Options {
        bool compressed = false;
        Duration timeout{20000};  // the welcome's timeout, already clamped to 5..60 s
        bool can_send = true;     // half-connection direction (11.4)
        bool can_receive = true;
    };

    DataChannel(Options options, RandomSource& rng, TimePoint now);

    // Bytes read from the connection; frames go to `sink`. An error means: drop this connection.
    Status feed(ByteSpan data, TimePoint now, proto::FrameDecoder::Sink& sink);
    // Appends one batch of frames to `out`; sending data postpones the next keep-alive (10.3).
    void encode_frames(std::span<const ByteSpan> frames, TimePoint now, Bytes& out);
    // The owner wrote a batch of frames itself (in encode_frames' format): postpones the next keep-alive.
    void frames_sent(TimePoint now) { next_keepalive_ = now + keepalive_span(); }
    // Appends a keep-alive if one is due.
    bool maybe_keepalive(TimePoint now, Bytes& out);

    bool receive_timed_out(TimePoint now) const;
    TimePoint next_deadline() const;
    std::uint64_t dropped_frames() const { return decoder_.dropped_frames(); }
    const Options& options() const { return options_; }

  private:
    Duration keepalive_span();

    Options options_;
    RandomSource& rng_;
    proto::FrameDecoder decoder_;
    proto::FrameEncoder encoder_;
    TimePoint last_receive_;
    TimePoint next_keepalive_;
};

}  // namespace vpnse::session
