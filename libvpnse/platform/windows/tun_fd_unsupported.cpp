// TUN-fd mode is POSIX: Windows has no TUN file descriptor (Wintun is a ring-buffer API that vpnsed drives
// through daemon/platform/windows). Apps on Windows move packets with vpnse_client_send_packet and the
// on_packet callback; the entry points stay exported so vpnse.dll has the same functions as libvpnse.so.
#include "capi/handles.hpp"

struct vpnse_attached_tun {};

void vpnse_attached_tun_deleter::operator()(vpnse_attached_tun* tun) const noexcept {
    std::default_delete<vpnse_attached_tun>()(tun);
}

namespace vpnse::capi {

bool write_to_attached_tun(vpnse_client*, std::span<const std::uint8_t>) {
    return false;
}

void detach_tun(vpnse_client* client) {
    client->tun.reset();
}

}  // namespace vpnse::capi

extern "C" {

int vpnse_client_attach_tun_fd(vpnse_client* client, int) {
    return vpnse::capi::is_live_client(client) ? VPNSE_E_NOT_SUPPORTED : VPNSE_E_INVALID_ARGUMENT;
}

int vpnse_client_detach_tun_fd(vpnse_client* client) {
    return vpnse::capi::is_live_client(client) ? VPNSE_OK : VPNSE_E_INVALID_ARGUMENT;
}

}  // extern "C"
