#pragma once
// vpnsed.exe's TunnelFactory: the OS-neutral Tunnel (daemon/tunnel) with the Windows backends: a Wintun
// adapter per tunnel (wintun_packet_device), addresses and routes through IP Helper
// (windows_network_configurator), DNS through SetInterfaceDnsSettings (windows_dns_configurator). No
// kill switch yet (no_kill_switch.hpp) and no route watch: a removed route is not put back.
#include <asio/io_context.hpp>

#include <memory>

#include "service/tunnel_factory.hpp"
#include "settings/daemon_settings.hpp"
#include "vpnse/log.hpp"

namespace vpnsed::tunnel {

std::unique_ptr<service::TunnelFactory> make_wintun_tunnel_factory(asio::io_context& io,
                                                                   const settings::DaemonSettings& settings,
                                                                   const vpnse::Logger& logger);

}  // namespace vpnsed::tunnel
