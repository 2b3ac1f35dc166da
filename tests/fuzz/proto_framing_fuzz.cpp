// Data-channel framing from the server, plain and compressed, fed in chunks whose sizes come from the
// input: chunking must never change the result.
#include <cstdlib>
#include <vector>

#include "proto/framing.hpp"

namespace {
struct Counter final : vpnse::proto::FrameDecoder::Sink {
    std::size_t frames = 0, bytes = 0, keepalives = 0;
    void on_frame(vpnse::ByteSpan frame) override {
        ++frames;
        bytes += frame.size();
    }
    void on_keepalive() override { ++keepalives; }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2)
        return 0;
    const bool compressed = data[0] & 1;
    const std::size_t chunk = 1 + data[1] % 97;
    const vpnse::ByteSpan input(data + 2, size - 2);

    vpnse::proto::FrameDecoder whole(compressed);
    Counter a;
    const bool whole_ok = whole.feed(input, a).ok();

    vpnse::proto::FrameDecoder pieces(compressed);
    Counter b;
    bool pieces_ok = true;
    for (std::size_t at = 0; at < input.size() && pieces_ok; at += chunk) {
        pieces_ok = pieces.feed(input.subspan(at, std::min(chunk, input.size() - at)), b).ok();
    }
    if (whole_ok != pieces_ok)
        std::abort();
    if (whole_ok && (a.frames != b.frames || a.bytes != b.bytes || a.keepalives != b.keepalives))
        std::abort();
    return 0;
}
