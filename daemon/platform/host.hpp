#pragma once
// Facts about this machine that the daemon hands to libvpnse (which asks the OS for nothing).
#include <string>

namespace vpnse::platform {

// This machine's name, for the login and DHCP requests; "vpnse" when the OS has none.
std::string host_name();
// A stable identifier of this installation (Linux: /etc/machine-id); empty when there is none.
std::string machine_id();

}  // namespace vpnse::platform
