#pragma once
// The UDP acceleration state of one session (softether-protocol-advanced.md 1.6-1.9): cookies, ticks,
// the 30 s window, liveness from echoed ticks, keep-alive cadence and `ready`, the rule that decides
// whether data goes over UDP or TCP. Sans-I/O: datagrams and `now` in, datagrams and deadlines out; the
// socket is transport's.
#include <cstdint>
#include <optional>

#include "core/bytes.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "session/udp_accel_codec.hpp"
#include "vpnse/result.hpp"

namespace vpnse::session {

// What the login offered and the welcome answered (1.2, 1.3), from the client's side.
struct UdpAccelParams {
    udp_accel::Version version = udp_accel::Version::v2;
    bool encrypted = true;
    Bytes own_key;                     // the key this client sent (20 bytes V1, 128 V2): seals what we send
    Bytes peer_key;                    // the server's key from the welcome: opens what it sends
    std::uint32_t send_cookie = 0;     // welcome's udp_acceleration_server_cookie: in every datagram we send
    std::uint32_t receive_cookie = 0;  // welcome's udp_acceleration_client_cookie: in every one we accept
    bool fast_detect = true;           // udp_accel_fast_disconnect_detect: the 0.5-1 s / 2.1 s timers
    bool ipv6 = false;                 // the TCP connection's family: the data datagram size limit
};

struct UdpAccelCounters {
    std::uint64_t datagrams_sent = 0;
    std::uint64_t datagrams_received = 0;  // accepted ones
    std::uint64_t datagrams_dropped = 0;   // refused: cipher, cookie, size, window, frame size
    std::uint64_t frames_sent = 0;
    std::uint64_t frames_received = 0;
    std::uint64_t bytes_sent = 0;  // datagram bytes
    std::uint64_t bytes_received = 0;
};

class UdpAccel {
  public:
    static constexpr Duration kStableSpan{10000};  // liveness needed before data moves to UDP
    static constexpr Duration kWindow{30000};      // older datagrams are dropped; echoes count this long

    // Errors: invalid_argument when a key does not fit the version, or a cookie is 0.
    static Result<UdpAccel> create(UdpAccelParams params, RandomSource& rng, TimePoint now);

    enum class Verdict { dropped, keepalive, frame };
    struct Received {
        Verdict verdict = Verdict::dropped;
        bool adopt_source = false;  // it raised the peer's highest tick: its source is the new destination
        ByteSpan frame;             // Verdict::frame: into this object's buffers, valid until the next call
    };
    Received receive(ByteSpan datagram, TimePoint now);

    // True once the path has been alive both ways for 10 s; false again after the timeout (1.8).
    bool ready(TimePoint now);
    // Appends one data datagram carrying `frame` (one Ethernet frame).
    void seal_frame(ByteSpan frame, TimePoint now, Bytes& out);
    // Appends a keep-alive if one is due, and schedules the next.
    bool maybe_keepalive(TimePoint now, Bytes& out);
    TimePoint next_keepalive() const { return next_keepalive_; }
    // Whether any datagram from the peer has ever echoed one of our ticks (the path was ever alive).
    bool ever_alive() const { return ever_alive_; }

    const UdpAccelCounters& counters() const { return counters_; }
    Duration timeout() const { return params_.fast_detect ? Duration(2100) : Duration(9000); }
    const UdpAccelParams& params() const { return params_; }

  private:
    UdpAccel(UdpAccelParams params, udp_accel::DatagramCipher sender, udp_accel::DatagramCipher receiver,
             RandomSource& rng, TimePoint now);
    std::uint64_t tick(TimePoint now) const;
    Duration keepalive_span();
    void seal(ByteSpan payload, std::size_t max_size, udp_accel::Padding rule, TimePoint now, Bytes& out);

    UdpAccelParams params_;
    udp_accel::DatagramCipher sender_;
    udp_accel::DatagramCipher receiver_;
    RandomSource* rng_;
    TimePoint epoch_;
    std::uint64_t highest_peer_tick_ = 0;
    std::uint64_t highest_echo_ = 0;
    std::optional<TimePoint> last_recv_;
    std::optional<TimePoint> first_stable_;
    bool ever_alive_ = false;
    TimePoint next_keepalive_;
    Bytes inflated_;
    UdpAccelCounters counters_;
};

}  // namespace vpnse::session
