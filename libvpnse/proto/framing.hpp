#pragma once
// Data-channel framing of one TCP connection (softether-protocol.md 10.2, 10.5):
//   data batch := u32 n (< 0xFFFFFFFF), n × (u32 len, len bytes of Ethernet frame or zlib stream)
//   keep-alive := u32 0xFFFFFFFF, u32 len (0..512), len ignored bytes
#include <algorithm>
#include <cstdint>
#include <span>

#include "core/bytes.hpp"
#include "core/random.hpp"
#include "vpnse/result.hpp"

namespace vpnse::proto {

struct FramingLimits {
    std::size_t max_block = 3200;  // larger: the peer is broken, drop the connection
    std::size_t max_frame = 1600;  // larger (after inflating): drop the frame only
    std::size_t max_keepalive = 512;
};

// Frames the hub takes from us: non-empty and at most max_frame bytes (10.2).
inline bool frame_sendable(ByteSpan frame, const FramingLimits& limits = {}) {
    return !frame.empty() && frame.size() <= limits.max_frame;
}

// Writes one data batch block by block at the end of a caller's buffer, the count in front stored once
// known: the one writer of the batch format. FrameEncoder builds its batches with it, and a sender
// can queue frames straight into wire format with it, one copy per frame and no allocation once the
// buffer has grown. The same buffer goes to every call from the first append() to finish(), and
// nothing else is appended to it in between.
class BatchBuilder {
  public:
    // Appends u32 length + block; the first block of a batch also makes room for the count. Inline:
    // it runs once per frame sent.
    void append(Bytes& out, ByteSpan block) {
        if (count_ == 0) {
            count_at_ = out.size();
            out.resize(count_at_ + 4);
        }
        const std::size_t at = out.size();
        out.resize(at + 4 + block.size());
        store_be32(out.data() + at, static_cast<std::uint32_t>(block.size()));
        std::copy(block.begin(), block.end(), out.begin() + static_cast<std::ptrdiff_t>(at + 4));
        ++count_;
    }
    // Stores the count and ends the batch (a batch without blocks never wrote anything); the next
    // append() starts a new one.
    void finish(Bytes& out) {
        if (count_ == 0)
            return;
        store_be32(out.data() + count_at_, count_);
        count_ = 0;
    }
    std::uint32_t count() const { return count_; }

  private:
    std::size_t count_at_ = 0;
    std::uint32_t count_ = 0;
};

class FrameDecoder {
  public:
    struct Sink {
        virtual ~Sink() = default;
        virtual void on_frame(ByteSpan ethernet_frame) = 0;
        virtual void on_keepalive() = 0;
    };

    explicit FrameDecoder(bool compressed, FramingLimits limits = {});

    // Parses what it can, calling `sink` per frame and keep-alive. Whole blocks present in `data` are
    // handed over as views without copying; only an incomplete tail is buffered (bounded by the limits).
    // An oversized block or keep-alive is an error: the connection must be dropped (10.2).
    Status feed(ByteSpan data, Sink& sink);
    std::uint64_t dropped_frames() const { return dropped_; }

  private:
    enum class Expect { count, block_length, block, keepalive_length, keepalive };
    Status handle(ByteSpan item, Sink& sink);
    void deliver(ByteSpan block, Sink& sink);
    void next_block();

    bool compressed_;
    FramingLimits limits_;
    Expect expect_ = Expect::count;
    std::size_t need_ = 4;
    std::uint32_t blocks_left_ = 0;
    Bytes partial_;
    Bytes inflated_;
    std::uint64_t dropped_ = 0;
};

class FrameEncoder {
  public:
    explicit FrameEncoder(bool compressed, FramingLimits limits = {});

    // Appends one batch with every frame; frames larger than max_frame are left out and counted.
    void encode_batch(std::span<const ByteSpan> frames, Bytes& out);
    // Appends a keep-alive with 0..511 random bytes (10.3).
    void encode_keepalive(RandomSource& rng, Bytes& out);
    std::uint64_t skipped_frames() const { return skipped_; }

  private:
    bool compressed_;
    FramingLimits limits_;
    Bytes scratch_;
    std::uint64_t skipped_ = 0;
};

}  // namespace vpnse::proto
