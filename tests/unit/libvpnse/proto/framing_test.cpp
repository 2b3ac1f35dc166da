#include <catch2/catch.hpp>

#include "core/random.hpp"
#include "proto/framing.hpp"

using namespace vpnse;
using proto::FrameDecoder;
using proto::FrameEncoder;

namespace {

struct Recorder final : FrameDecoder::Sink {
    std::vector<Bytes> frames;
    int keepalives = 0;
    void on_frame(ByteSpan frame) override { frames.emplace_back(frame.begin(), frame.end()); }
    void on_keepalive() override { ++keepalives; }
};

Bytes hex(const char* text) {
    Bytes out;
    REQUIRE(from_hex(text, out));
    return out;
}

Bytes frame_of(std::size_t size, std::uint8_t seed) {
    Bytes f(size);
    for (std::size_t i = 0; i < size; ++i)
        f[i] = static_cast<std::uint8_t>(seed + i * 7);
    return f;
}

}  // namespace

TEST_CASE("the documented ARP batch and keep-alive decode (softether-protocol.md 10.2)") {
    auto wire =
        hex("00000001"
            "0000002a"
            "ffffffffffff020000000001"
            "0806"
            "0001080006040001"
            "020000000001c0a81e0a000000000000c0a81e01"
            "ffffffff"
            "00000004"
            "a1b2c3d4");
    FrameDecoder decoder(false);
    Recorder sink;
    REQUIRE(decoder.feed(wire, sink).ok());
    REQUIRE(sink.frames.size() == 1);
    CHECK(sink.frames[0].size() == 42);
    CHECK(sink.keepalives == 1);
}

TEST_CASE("many frames in one batch, a zero-count batch, byte-by-byte feeding") {
    std::vector<Bytes> frames;
    for (int i = 0; i < 50; ++i)
        frames.push_back(frame_of(60 + i * 29, static_cast<std::uint8_t>(i)));
    std::vector<ByteSpan> views(frames.begin(), frames.end());
    FrameEncoder encoder(false);
    Bytes wire = hex("00000000");  // a zero count is legal and means nothing
    encoder.encode_batch(views, wire);
    SeededRandom rng(1);
    encoder.encode_keepalive(rng, wire);

    FrameDecoder whole(false);
    Recorder a;
    REQUIRE(whole.feed(wire, a).ok());
    CHECK(a.frames == frames);
    CHECK(a.keepalives == 1);

    FrameDecoder bytewise(false);
    Recorder b;
    for (auto byte : wire)
        REQUIRE(bytewise.feed(ByteSpan(&byte, 1), b).ok());
    CHECK(b.frames == frames);
    CHECK(b.keepalives == 1);
}

TEST_CASE("oversized blocks and keep-alives drop the connection; big frames only themselves") {
    FrameDecoder block(false);
    Recorder sink;
    CHECK(block
              .feed(hex("00000001"
                        "00000c81"),
                    sink)
              .error()
              .code() == ErrorCode::malformed_input);  // 3201

    FrameDecoder keepalive(false);
    CHECK_FALSE(keepalive
                    .feed(hex("ffffffff"
                              "00000201"),
                          sink)
                    .ok());  // 513
    FrameDecoder keepalive_ok(false);
    Bytes max_keepalive =
        hex("ffffffff"
            "00000200");
    max_keepalive.resize(max_keepalive.size() + 512);
    CHECK(keepalive_ok.feed(max_keepalive, sink).ok());

    // A 1700-byte frame is dropped and counted; the next frame still arrives (10.2).
    Bytes wire =
        hex("00000002"
            "000006a4");
    wire.resize(wire.size() + 1700, 0xab);
    const auto small = frame_of(64, 3);
    wire.insert(wire.end(), {0, 0, 0, 64});
    wire.insert(wire.end(), small.begin(), small.end());
    FrameDecoder decoder(false);
    Recorder recorder;
    REQUIRE(decoder.feed(wire, recorder).ok());
    CHECK(decoder.dropped_frames() == 1);
    REQUIRE(recorder.frames.size() == 1);
    CHECK(recorder.frames[0] == small);
}

TEST_CASE("compressed blocks round-trip, and a corrupt one is dropped") {
    std::vector<Bytes> frames = {frame_of(1514, 1), frame_of(42, 2), Bytes(1000, 0)};
    std::vector<ByteSpan> views(frames.begin(), frames.end());
    FrameEncoder encoder(true);
    Bytes wire;
    encoder.encode_batch(views, wire);
    CHECK(wire[8] == 0x78);  // zlib header of the first block (10.5)
    FrameDecoder decoder(true);
    Recorder sink;
    REQUIRE(decoder.feed(wire, sink).ok());
    CHECK(sink.frames == frames);

    auto corrupt =
        hex("00000001"
            "00000006"
            "789c00112233");
    FrameDecoder strict(true);
    Recorder none;
    REQUIRE(strict.feed(corrupt, none).ok());
    CHECK(none.frames.empty());
    CHECK(strict.dropped_frames() == 1);
}

TEST_CASE("the encoder leaves out frames the hub would drop, and keep-alives stay under 512 bytes") {
    FrameEncoder encoder(false);
    const auto big = frame_of(1601, 0);
    const auto ok = frame_of(100, 0);
    const ByteSpan views[] = {big, ok};
    Bytes wire;
    encoder.encode_batch(views, wire);
    CHECK(encoder.skipped_frames() == 1);
    CHECK(load_be32(wire.data()) == 1);

    SeededRandom rng(42);
    for (int i = 0; i < 200; ++i) {
        Bytes keepalive;
        encoder.encode_keepalive(rng, keepalive);
        CHECK(load_be32(keepalive.data()) == 0xffffffffu);
        CHECK(load_be32(keepalive.data() + 4) < 512);
        CHECK(keepalive.size() == 8 + load_be32(keepalive.data() + 4));
    }
}

TEST_CASE("BatchBuilder writes the documented batch format in place") {
    const Bytes a = hex("0102030405"), b = hex("aabb");
    Bytes out = hex("ff");  // whatever the buffer held before stays in front
    proto::BatchBuilder batch;
    batch.append(out, a);
    batch.append(out, b);
    CHECK(batch.count() == 2);
    batch.finish(out);
    CHECK(out == hex("ff"
                     "00000002"
                     "00000005"
                     "0102030405"
                     "00000002"
                     "aabb"));
    CHECK(batch.count() == 0);

    // A batch without blocks writes nothing; the builder then starts the next batch after the first.
    batch.finish(out);
    CHECK(out.size() == 1 + 4 + 9 + 6);
    batch.append(out, b);
    batch.finish(out);
    CHECK(Bytes(out.end() - 10, out.end()) == hex("00000001"
                                                  "00000002"
                                                  "aabb"));
}

TEST_CASE("BatchBuilder's output is byte for byte FrameEncoder's, frame after frame") {
    std::vector<Bytes> frames;
    for (int i = 0; i < 40; ++i)
        frames.push_back(frame_of(14 + i * 37, static_cast<std::uint8_t>(i)));
    std::vector<ByteSpan> views(frames.begin(), frames.end());
    FrameEncoder encoder(false);
    Bytes encoded = hex("0000");
    encoder.encode_batch(views, encoded);

    // As a sender queueing frames one at a time: the buffer's storage is reused, never regrown.
    Bytes queued = hex("0000");
    queued.reserve(encoded.size());
    const auto* storage = queued.data();
    proto::BatchBuilder batch;
    for (const auto& frame : frames)
        batch.append(queued, frame);
    batch.finish(queued);
    CHECK(queued == encoded);
    CHECK(queued.data() == storage);

    FrameDecoder decoder(false);
    Recorder sink;
    REQUIRE(decoder.feed(ByteSpan(queued).subspan(2), sink).ok());
    CHECK(sink.frames == frames);
}

TEST_CASE("frame_sendable: 1..max_frame bytes") {
    CHECK_FALSE(proto::frame_sendable(Bytes{}));
    CHECK(proto::frame_sendable(Bytes(1)));
    CHECK(proto::frame_sendable(Bytes(1600)));
    CHECK_FALSE(proto::frame_sendable(Bytes(1601)));
    CHECK_FALSE(proto::frame_sendable(Bytes(100), proto::FramingLimits{3200, 99, 512}));
}
