#pragma once
// SoftEther's UDP acceleration as status shows it (softether-protocol-advanced.md 1, profile
// session.udp_acceleration): what the transport's UDP path reports and what the client hands on.
#include <cstdint>

namespace vpnse {

struct UdpAccelStats {
    bool offered = false;         // the login offered it (profile on, direct IPv4 connection, socket opened)
    bool supported = false;       // the server accepted it in the welcome
    bool active = false;          // data goes over UDP now; otherwise over the TCP connections
    std::uint32_t version = 0;    // 1 (RC4 + SHA-1) or 2 (ChaCha20-Poly1305) once negotiated
    std::uint32_t fallbacks = 0;  // times the UDP path went quiet and data went back to TCP
    std::uint64_t datagrams_sent = 0, datagrams_received = 0, datagrams_dropped = 0;
    std::uint64_t frames_sent = 0, frames_received = 0;  // Ethernet frames carried over UDP
    std::uint64_t bytes_sent = 0, bytes_received = 0;    // datagram bytes
};

}  // namespace vpnse
