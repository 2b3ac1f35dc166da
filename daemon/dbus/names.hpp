#pragma once
// The names of vpnsed's D-Bus API (docs/ipc-dbus.md; introspection in org.vpnse.Daemon1.xml and
// org.vpnse.Tunnel1.xml next to this file).
#include <string_view>

namespace vpnsed::dbus {

inline constexpr std::string_view kBusName = "org.vpnse.Daemon";
inline constexpr std::string_view kRootPath = "/org/vpnse";  // the ObjectManager
inline constexpr std::string_view kDaemonPath = "/org/vpnse/Daemon";
inline constexpr std::string_view kTunnelPathPrefix = "/org/vpnse/Tunnel/";
inline constexpr std::string_view kDaemonInterface = "org.vpnse.Daemon1";
inline constexpr std::string_view kTunnelInterface = "org.vpnse.Tunnel1";
inline constexpr std::string_view kErrorPrefix = "org.vpnse.Error.";

}  // namespace vpnsed::dbus
