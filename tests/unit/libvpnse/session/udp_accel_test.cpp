#include <catch2/catch.hpp>

#include "session/udp_accel.hpp"

using namespace vpnse;
using namespace vpnse::session;
using namespace std::chrono_literals;

namespace {
// The client and a peer built from the same state machine with keys and cookies swapped, as the
// server holds them (1.5.6).
struct Pair {
    SeededRandom rng{21};
    UdpAccel client;
    UdpAccel server;

    static UdpAccel make(bool client_side, udp_accel::Version version, RandomSource& rng, TimePoint now) {
        const std::size_t size =
            version == udp_accel::Version::v1 ? udp_accel::kV1KeySize : udp_accel::kV2KeySize;
        UdpAccelParams params;
        params.version = version;
        params.own_key = Bytes(size, client_side ? 0xc1 : 0x5e);
        params.peer_key = Bytes(size, client_side ? 0x5e : 0xc1);
        params.send_cookie = client_side ? 0x5e5e : 0xc1c1;
        params.receive_cookie = client_side ? 0xc1c1 : 0x5e5e;
        auto made = UdpAccel::create(std::move(params), rng, now);
        REQUIRE(made.ok());
        return std::move(made).value();
    }
    explicit Pair(udp_accel::Version version = udp_accel::Version::v2, TimePoint now = {})
        : client(make(true, version, rng, now)), server(make(false, version, rng, now)) {}

    // One keep-alive each way; returns what the client made of the server's.
    UdpAccel::Verdict exchange(TimePoint now) {
        Bytes up, down;
        client.seal_frame({}, now, up);  // an empty payload is a keep-alive
        server.receive(up, now);
        server.seal_frame({}, now, down);
        return client.receive(down, now).verdict;
    }
};
}  // namespace

TEST_CASE("ready only after 10 s of echoed liveness, in V1 and V2") {
    for (auto version : {udp_accel::Version::v1, udp_accel::Version::v2}) {
        const TimePoint t0{};
        Pair pair(version, t0);
        // The server's first keep-alive, before it heard from us, proves nothing (your_tick = 0).
        Bytes down;
        pair.server.seal_frame({}, t0, down);
        CHECK(pair.client.receive(down, t0).verdict == UdpAccel::Verdict::keepalive);
        CHECK_FALSE(pair.client.ever_alive());
        for (auto t = t0; t <= t0 + 12s; t += 500ms) {
            CHECK(pair.exchange(t) == UdpAccel::Verdict::keepalive);
            CHECK(pair.client.ready(t) == (t >= t0 + 10s));
        }
        CHECK(pair.client.ever_alive());
    }
}

TEST_CASE("silence past 2.1 s falls back; recovery needs another 10 s") {
    const TimePoint t0{};
    Pair pair(udp_accel::Version::v2, t0);
    auto t = t0;
    for (; t <= t0 + 11s; t += 500ms)
        pair.exchange(t);
    const auto last = t - 500ms;
    CHECK(pair.client.ready(last + 2100ms));
    CHECK_FALSE(pair.client.ready(last + 2101ms));
    t = last + 5s;
    pair.exchange(t);
    CHECK_FALSE(pair.client.ready(t));
    for (; t <= last + 15s; t += 500ms)
        pair.exchange(t);
    CHECK(pair.client.ready(last + 15s));
}

TEST_CASE("frames carry through; a wrong cookie is dropped") {
    Pair pair;
    const Bytes frame(1514, 0x77);
    Bytes up;
    pair.client.seal_frame(frame, TimePoint{}, up);
    auto got = pair.server.receive(up, TimePoint{});
    REQUIRE(got.verdict == UdpAccel::Verdict::frame);
    CHECK(Bytes(got.frame.begin(), got.frame.end()) == frame);
    CHECK(got.adopt_source);
    // The client does not accept its own datagrams: they carry the server's cookie.
    CHECK(pair.client.receive(up, TimePoint{}).verdict == UdpAccel::Verdict::dropped);
    CHECK(pair.client.counters().datagrams_dropped == 1);
    CHECK(pair.server.counters().frames_received == 1);
    CHECK(pair.client.counters().frames_sent == 1);
}

TEST_CASE("duplicates and reordering within 30 s are accepted, older datagrams dropped") {
    const TimePoint t0{};
    Pair pair(udp_accel::Version::v2, t0);
    Bytes old, dup, fresh;
    pair.server.seal_frame(Bytes(60, 1), t0 + 1s, old);
    pair.server.seal_frame(Bytes(60, 2), t0 + 20s, dup);
    pair.server.seal_frame(Bytes(60, 3), t0 + 40s, fresh);
    CHECK(pair.client.receive(dup, t0 + 20s).adopt_source);
    CHECK(pair.client.receive(dup, t0 + 20s).verdict == UdpAccel::Verdict::frame);  // duplicate
    CHECK_FALSE(pair.client.receive(dup, t0 + 20s).adopt_source);                   // not newer
    CHECK(pair.client.receive(old, t0 + 21s).verdict == UdpAccel::Verdict::frame);  // 19 s older: kept
    CHECK(pair.client.receive(fresh, t0 + 40s).verdict == UdpAccel::Verdict::frame);
    CHECK(pair.client.receive(old, t0 + 41s).verdict == UdpAccel::Verdict::dropped);  // 39 s older
    CHECK(pair.client.receive(dup, t0 + 41s).verdict == UdpAccel::Verdict::frame);    // 20 s older
}

TEST_CASE("keep-alives every [500, 1000) ms with fast detection") {
    SeededRandom rng(4);
    const TimePoint t0{};
    UdpAccelParams params;
    params.own_key = Bytes(128, 1);
    params.peer_key = Bytes(128, 2);
    params.send_cookie = 1;
    params.receive_cookie = 2;
    auto accel = UdpAccel::create(params, rng, t0);
    REQUIRE(accel.ok());
    Bytes out;
    CHECK(accel->maybe_keepalive(t0, out));
    for (int i = 0; i < 50; ++i) {
        const auto next = accel->next_keepalive();
        CHECK_FALSE(accel->maybe_keepalive(next - 1ms, out));
        CHECK(accel->maybe_keepalive(next, out));
        const auto span = accel->next_keepalive() - next;
        CHECK(span >= 500ms);
        CHECK(span < 1000ms);
    }
    params.send_cookie = 0;
    CHECK_FALSE(UdpAccel::create(params, rng, t0).ok());
}
