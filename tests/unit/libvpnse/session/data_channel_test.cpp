#include <catch2/catch.hpp>

#include "session/backoff.hpp"
#include "session/data_channel.hpp"

using namespace vpnse;
using namespace std::chrono_literals;

namespace {
struct NullSink final : proto::FrameDecoder::Sink {
    int frames = 0;
    void on_frame(ByteSpan) override { ++frames; }
    void on_keepalive() override {}
};
}  // namespace

TEST_CASE("keep-alives: one at once, then within [timeout/5, timeout/2) (10.3)") {
    SeededRandom rng(5);
    const TimePoint start{};
    session::DataChannel channel({false, Duration(20000), true, true}, rng, start);
    Bytes out;
    CHECK(channel.maybe_keepalive(start, out));
    CHECK_FALSE(channel.maybe_keepalive(start + 3999ms, out));
    const auto next = channel.next_deadline();
    CHECK(next >= start + 4000ms);
    CHECK(next < start + 10000ms);
    CHECK(channel.maybe_keepalive(start + 10000ms, out));
}

TEST_CASE("sending data postpones the keep-alive") {
    SeededRandom rng(9);
    const TimePoint start{};
    session::DataChannel channel({false, Duration(20000), true, true}, rng, start);
    Bytes out;
    channel.maybe_keepalive(start, out);
    const Bytes frame(60, 1);
    const ByteSpan frames[] = {frame};
    channel.encode_frames(frames, start + 9000ms, out);
    CHECK_FALSE(channel.maybe_keepalive(start + 12000ms, out));
}

TEST_CASE("silence for the whole timeout is a dead peer; data keeps it alive") {
    SeededRandom rng(1);
    const TimePoint start{};
    session::DataChannel channel({false, Duration(20000), true, true}, rng, start);
    NullSink sink;
    const Bytes keepalive = {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};
    REQUIRE(channel.feed(keepalive, start + 15s, sink).ok());
    CHECK_FALSE(channel.receive_timed_out(start + 34s));
    CHECK(channel.receive_timed_out(start + 35s));
}

TEST_CASE("a client-to-server-only connection never times out and a receive-only one never sends") {
    SeededRandom rng(2);
    const TimePoint start{};
    session::DataChannel send_only({false, Duration(20000), true, false}, rng, start);
    CHECK_FALSE(send_only.receive_timed_out(start + 1h));
    session::DataChannel receive_only({false, Duration(20000), false, true}, rng, start);
    Bytes out;
    CHECK_FALSE(receive_only.maybe_keepalive(start + 1h, out));
    CHECK(out.empty());
}

TEST_CASE("reconnect back-off grows, is capped, jittered and resettable") {
    SeededRandom rng(11);
    session::Backoff backoff(Duration(1000), Duration(8000));
    const std::pair<long, long> expected[] = {
        {500, 1000}, {1000, 2000}, {2000, 4000}, {4000, 8000}, {4000, 8000}};
    for (const auto& [low, high] : expected) {
        const auto delay = backoff.next(rng).count();
        CHECK(delay >= low);
        CHECK(delay <= high);
    }
    backoff.reset();
    CHECK(backoff.next(rng).count() <= 1000);
}
