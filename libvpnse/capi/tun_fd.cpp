// TUN-fd mode (vpnse_client_attach_tun_fd): the library pumps the app's TUN itself with the same
// tun::FdPump as vpnsed, over its own duplicate of the app's fd.
#include <fcntl.h>

#include "capi/handles.hpp"
#include "tun/fd_pump.hpp"
#include "tun/unique_fd.hpp"

// The pump is declared last so it lets go of the fd first.
struct vpnse_attached_tun {
    vpnse::tun::UniqueFd fd;
    std::unique_ptr<vpnse::tun::FdPump> pump;
};

void vpnse_attached_tun_deleter::operator()(vpnse_attached_tun* tun) const noexcept {
    std::default_delete<vpnse_attached_tun>()(tun);
}

namespace vpnse::capi {

bool write_to_attached_tun(vpnse_client* client, std::span<const std::uint8_t> packet) {
    if (!client->tun)
        return false;
    client->tun->pump->write(packet);
    return true;
}

void detach_tun(vpnse_client* client) {
    client->tun.reset();
}

}  // namespace vpnse::capi

extern "C" {

int vpnse_client_attach_tun_fd(vpnse_client* client, int fd) {
    if (!vpnse::capi::is_live_client(client) || fd < 0)
        return VPNSE_E_INVALID_ARGUMENT;
    // Duplicated here, on the caller's thread, so the app may close its fd as soon as this returns.
    vpnse::tun::UniqueFd own(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
    if (!own)
        return VPNSE_E_INVALID_ARGUMENT;
    vpnse::capi::run_on_thread(client, [client, &own] {
        vpnse::capi::detach_tun(client);
        auto tun = std::make_unique<vpnse_attached_tun>();
        tun->fd = std::move(own);
        tun->pump = std::make_unique<vpnse::tun::FdPump>(
            client->io, tun->fd.get(), vpnse::tun::FdPump::Options{}, client->logger.child("tun"));
        tun->pump->start([client](std::span<const std::uint8_t> packet) {
            if (client->client)
                client->client->send_packet(packet);
        });
        client->logger.info("TUN fd attached", {{"fd", std::to_string(tun->fd.get())}});
        client->tun.reset(tun.release());
    });
    return VPNSE_OK;
}

int vpnse_client_detach_tun_fd(vpnse_client* client) {
    if (!vpnse::capi::is_live_client(client))
        return VPNSE_E_INVALID_ARGUMENT;
    vpnse::capi::run_on_thread(client, [client] { vpnse::capi::detach_tun(client); });
    return VPNSE_OK;
}

}  // extern "C"
