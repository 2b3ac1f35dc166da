// Received UDP acceleration datagrams (session/udp_accel_codec.hpp). The first byte picks V1, V2 or
// plaintext; the rest is opened as it came, and must never read outside itself or hand back a payload
// that does not fit. Then the same bytes as a payload sealed by the peer must open to exactly
// themselves, and (V2) with one byte flipped must never open. The state machine gets them too.
#include <cstdlib>

#include "session/udp_accel.hpp"
#include "session/udp_accel_codec.hpp"

namespace {
using namespace vpnse;
using namespace vpnse::session::udp_accel;

DatagramCipher cipher(Version version, bool encrypted) {
    const Bytes key(version == Version::v1 ? kV1KeySize : kV2KeySize, 0x42);
    auto made = DatagramCipher::create(version, key, encrypted);
    if (!made)
        std::abort();
    return std::move(made).value();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2)
        return 0;
    const auto version = (data[0] & 1) ? Version::v2 : Version::v1;
    const bool encrypted = (data[0] & 2) == 0;
    const std::size_t at = data[1];
    const ByteSpan input(data + 2, size - 2);

    auto receiver = cipher(version, encrypted);
    if (auto opened = receiver.open(input)) {
        if (opened->payload.size() > input.size())
            std::abort();
    }

    // The session's state machine on the same bytes: never a frame over 1600 bytes.
    vpnse::SeededRandom seed(1);
    vpnse::session::UdpAccelParams params;
    params.version = version;
    params.encrypted = encrypted;
    params.own_key = params.peer_key = Bytes(version == Version::v1 ? kV1KeySize : kV2KeySize, 0x42);
    params.send_cookie = params.receive_cookie = 0x01020304;
    auto accel = vpnse::session::UdpAccel::create(params, seed, vpnse::TimePoint{});
    if (!accel)
        std::abort();
    if (accel->receive(input, vpnse::TimePoint{}).frame.size() > kMaxFrameSize)
        std::abort();

    if (input.size() > 2048)
        return 0;
    auto sender = cipher(version, encrypted);
    vpnse::SeededRandom rng(at);
    Bytes wire;
    const InnerHeader header{0x01020304, 7, 3, false};
    sender.seal_next(header, input, 1426, input.size() % 2 ? Padding::random : Padding::bucketed, rng, wire);
    auto opened = receiver.open(wire);
    if (!opened || opened->header.cookie != header.cookie || opened->header.my_tick != header.my_tick ||
        Bytes(opened->payload.begin(), opened->payload.end()) != Bytes(input.begin(), input.end()))
        std::abort();
    if (version == Version::v2 && encrypted) {
        wire[at % wire.size()] ^= static_cast<std::uint8_t>(data[0] | 1);
        if (receiver.open(wire))
            std::abort();
    }
    return 0;
}
