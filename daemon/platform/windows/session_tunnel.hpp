#pragma once
// vpnsed.exe's tunnels until the Wintun backend exists: the SoftEther session itself (vpnse::Client
// over Winsock: login, DHCP, keep-alive, reconnect) with its configuration reported in tunnels.status,
// but no adapter, so IP packets from the hub are dropped and none are sent. It lets the pipe, the
// service and the session be used and tested on Windows now (docs/windows.md); the OS-neutral
// daemon/tunnel/Tunnel takes its place once platform/windows has a PacketDeviceFactory (Wintun) and a
// NetworkConfigurator (IP Helper).
#include <asio/io_context.hpp>

#include <memory>

#include "service/tunnel_factory.hpp"
#include "vpnse/log.hpp"

namespace vpnsed::tunnel {

std::unique_ptr<service::TunnelFactory> make_session_tunnel_factory(asio::io_context& io,
                                                                    vpnse::Logger logger,
                                                                    std::string host_name);

}  // namespace vpnsed::tunnel
