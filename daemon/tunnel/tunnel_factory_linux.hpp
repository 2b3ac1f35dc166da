#pragma once
// The production TunnelFactory on Linux: the OS-neutral Tunnel (tunnel.hpp) with the Linux platform
// backends. vpnsed_test links a fake definition of make_tunnel_factory instead of this folder.
#include <asio/io_context.hpp>

#include <memory>

#include "service/tunnel_factory.hpp"
#include "settings/daemon_settings.hpp"
#include "tunnel/tunnel.hpp"
#include "vpnse/log.hpp"

namespace vpnsed::tunnel {

std::unique_ptr<service::TunnelFactory> make_tunnel_factory(asio::io_context& io,
                                                            const settings::DaemonSettings& settings,
                                                            const vpnse::Logger& logger);

// Tunnels in "report, don't apply" mode for an outside owner of the host configuration
// (NetworkManager's nm-vpnse-service): the TUN and the session are theirs, addresses, routes and DNS are
// handed to `owner`. No crash recovery and no journal: the owner undoes what it applied.
std::unique_ptr<service::TunnelFactory> make_reporting_tunnel_factory(
    asio::io_context& io, const settings::DaemonSettings& settings, const vpnse::Logger& logger,
    NetworkOwner owner);

}  // namespace vpnsed::tunnel
