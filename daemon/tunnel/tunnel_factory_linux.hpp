#pragma once
// The production TunnelFactory: vpnse::Client + TUN device + routes/DNS through daemon/platform.
// STUB for now (tunnels fail with ErrorCode::unsupported); the lead replaces tunnel_factory_linux.cpp.
// vpnsed_test links a fake definition of make_tunnel_factory instead of this folder.
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
