#pragma once
// NMConnection <-> NmVpnSettings (the plain C++ form connection/ works on), for the VPN service and the
// editor plugin.
#include "connection/nm_profile.hpp"
#include "nm/libnm.hpp"

namespace vpnse::nm {

inline constexpr const char* kServiceType = "org.freedesktop.NetworkManager.vpnse";

NmVpnSettings settings_of(NMConnection* connection);

// A new VPN connection of our service type (a fresh uuid); the caller owns the reference.
NMConnection* connection_from(const NmVpnSettings& settings);

}  // namespace vpnse::nm
