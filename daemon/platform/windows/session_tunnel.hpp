#pragma once
// vpnsed.exe --no-adapter's tunnels: the SoftEther session itself (vpnse::Client over Winsock: login,
// DHCP, keep-alive, reconnect) with its configuration reported in tunnels.status, but no adapter, so IP
// packets from the hub are dropped and none are sent. It lets the pipe, the service and the session be
// used and tested where no Wintun driver exists, such as wine (docs/windows.md); by default vpnsed.exe
// runs the OS-neutral daemon/tunnel/Tunnel over Wintun (wintun_tunnel_factory.hpp).
#include <asio/io_context.hpp>

#include <memory>

#include "service/tunnel_factory.hpp"
#include "vpnse/log.hpp"

namespace vpnsed::tunnel {

std::unique_ptr<service::TunnelFactory> make_session_tunnel_factory(asio::io_context& io,
                                                                    vpnse::Logger logger,
                                                                    std::string host_name);

}  // namespace vpnsed::tunnel
