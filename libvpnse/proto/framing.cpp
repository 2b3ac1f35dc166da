#include "proto/framing.hpp"

#include <zlib.h>

#include <algorithm>

namespace vpnse::proto {
namespace {
constexpr std::uint32_t kKeepAliveMarker = 0xFFFFFFFFu;
}  // namespace

FrameDecoder::FrameDecoder(bool compressed, FramingLimits limits) : compressed_(compressed), limits_(limits) {
    if (compressed_)
        inflated_.resize(limits_.max_frame);
}

Status FrameDecoder::feed(ByteSpan data, Sink& sink) {
    while (!data.empty()) {
        if (partial_.empty() && data.size() >= need_) {
            const auto item = data.first(need_);
            data = data.subspan(need_);
            if (auto status = handle(item, sink); !status)
                return status;
            continue;
        }
        const std::size_t take = std::min(need_ - partial_.size(), data.size());
        partial_.insert(partial_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
        data = data.subspan(take);
        if (partial_.size() == need_) {
            Bytes item;
            item.swap(partial_);
            auto status = handle(item, sink);
            item.clear();
            if (partial_.capacity() < item.capacity())
                partial_.swap(item);  // keep the larger buffer for reuse
            if (!status)
                return status;
        }
    }
    return {};
}

Status FrameDecoder::handle(ByteSpan item, Sink& sink) {
    switch (expect_) {
        case Expect::count: {
            const std::uint32_t n = load_be32(item.data());
            if (n == kKeepAliveMarker) {
                expect_ = Expect::keepalive_length;
            } else if (n != 0) {  // a zero count is legal and means nothing
                blocks_left_ = n;
                expect_ = Expect::block_length;
            }
            need_ = 4;
            return {};
        }
        case Expect::block_length: {
            const std::uint32_t length = load_be32(item.data());
            if (length > limits_.max_block) {
                return Error(ErrorCode::malformed_input, "data channel: block of " + std::to_string(length) +
                                                             " bytes exceeds " +
                                                             std::to_string(limits_.max_block));
            }
            if (length == 0) {
                next_block();
            } else {
                expect_ = Expect::block;
                need_ = length;
            }
            return {};
        }
        case Expect::block:
            deliver(item, sink);
            next_block();
            return {};
        case Expect::keepalive_length: {
            const std::uint32_t length = load_be32(item.data());
            if (length > limits_.max_keepalive) {
                return Error(ErrorCode::malformed_input, "data channel: keep-alive of " +
                                                             std::to_string(length) + " bytes exceeds " +
                                                             std::to_string(limits_.max_keepalive));
            }
            if (length == 0) {
                sink.on_keepalive();
                expect_ = Expect::count;
                need_ = 4;
            } else {
                expect_ = Expect::keepalive;
                need_ = length;
            }
            return {};
        }
        case Expect::keepalive:
            sink.on_keepalive();
            expect_ = Expect::count;
            need_ = 4;
            return {};
    }
    return {};
}

void FrameDecoder::next_block() {
    if (--blocks_left_ == 0) {
        expect_ = Expect::count;
    } else {
        expect_ = Expect::block_length;
    }
    need_ = 4;
}

void FrameDecoder::deliver(ByteSpan block, Sink& sink) {
    if (!compressed_) {
        if (block.size() > limits_.max_frame) {
            ++dropped_;
            return;
        }
        sink.on_frame(block);
        return;
    }
    uLongf size = static_cast<uLongf>(inflated_.size());
    if (::uncompress(inflated_.data(), &size, block.data(), static_cast<uLong>(block.size())) != Z_OK) {
        ++dropped_;  // corrupt, or larger than max_frame once inflated (10.5)
        return;
    }
    sink.on_frame(ByteSpan(inflated_.data(), size));
}

FrameEncoder::FrameEncoder(bool compressed, FramingLimits limits) : compressed_(compressed), limits_(limits) {
    if (compressed_)
        scratch_.resize(::compressBound(static_cast<uLong>(limits_.max_frame)));
}

void FrameEncoder::encode_batch(std::span<const ByteSpan> frames, Bytes& out) {
    BatchBuilder batch;
    for (const auto& frame : frames) {
        if (!frame_sendable(frame, limits_)) {
            ++skipped_;
            continue;
        }
        ByteSpan block = frame;
        if (compressed_) {
            uLongf size = static_cast<uLongf>(scratch_.size());
            if (::compress2(scratch_.data(), &size, frame.data(), static_cast<uLong>(frame.size()),
                            Z_DEFAULT_COMPRESSION) != Z_OK) {
                ++skipped_;
                continue;
            }
            block = ByteSpan(scratch_.data(), size);
        }
        batch.append(out, block);
    }
    batch.finish(out);
}

void FrameEncoder::encode_keepalive(RandomSource& rng, Bytes& out) {
    const std::uint32_t length = rng.uniform(static_cast<std::uint32_t>(limits_.max_keepalive));
    const std::size_t at = out.size();
    out.resize(at + 8 + length);
    store_be32(out.data() + at, kKeepAliveMarker);
    store_be32(out.data() + at + 4, length);
    rng.fill(std::span<std::uint8_t>(out.data() + at + 8, length));
}

}  // namespace vpnse::proto
