#pragma once
// nm-vpnse-service: the VPN service NetworkManager starts for connections of type
// org.freedesktop.NetworkManager.vpnse, on libnm's NMVpnServicePlugin. It turns the connection into a
// vpnse Profile (settings/nm_profile.hpp), runs one reporting Tunnel (tunnel_runner.hpp) and hands NM
// the configuration to apply (nm_ip_config.hpp). docs/networkmanager.md.
#include <memory>
#include <string>

#include "vpnse/log.hpp"

#include "nm/libnm.hpp"

namespace vpnse::nm {

struct PluginDeleter {
    void operator()(NMVpnServicePlugin* plugin) const;
};
using PluginPtr = std::unique_ptr<NMVpnServicePlugin, PluginDeleter>;

// The plugin object on the system bus under `bus_name`, or null with `error` set.
PluginPtr make_plugin(const std::string& bus_name, Logger logger, std::string& error);

}  // namespace vpnse::nm
