#pragma once
// The production TunnelFactory on Linux: the OS-neutral Tunnel (tunnel.hpp) with the Linux platform
// backends. vpnsed_test links a fake definition of make_tunnel_factory instead of this folder.
#include <asio/io_context.hpp>

#include <memory>

#include "service/tunnel_factory.hpp"
#include "settings/daemon_settings.hpp"
#include "vpnse/log.hpp"

namespace vpnsed::tunnel {

std::unique_ptr<service::TunnelFactory> make_tunnel_factory(asio::io_context& io,
                                                            const settings::DaemonSettings& settings,
                                                            const vpnse::Logger& logger);

}  // namespace vpnsed::tunnel
