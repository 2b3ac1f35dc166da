#pragma once
// The states of a tunnel, as the client reports them and every front door shows them. Its own header so
// that schemas and front ends can name a state without the client (and Asio) behind it.
#include <string_view>

namespace vpnse {

enum class TunnelState {
    disconnected,
    connecting,      // TCP + TLS + signature + hello
    authenticating,  // login PACK sent
    configuring,     // session up, waiting for DHCP
    established,     // addresses known, packets flow
    reconnecting,    // lost; backing off before the next attempt
};
constexpr std::string_view tunnel_state_name(TunnelState state) noexcept {
    switch (state) {
        case TunnelState::disconnected:
            return "disconnected";
        case TunnelState::connecting:
            return "connecting";
        case TunnelState::authenticating:
            return "authenticating";
        case TunnelState::configuring:
            return "configuring";
        case TunnelState::established:
            return "established";
        case TunnelState::reconnecting:
            return "reconnecting";
    }
    return "unknown";
}

}  // namespace vpnse
