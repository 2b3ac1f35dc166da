// platform/host.hpp on Windows: the computer name, and the installation's MachineGuid (set by Windows
// setup, the counterpart of Linux's /etc/machine-id) for the profile's stable MAC address.
#include "platform/host.hpp"

#include <windows.h>

namespace vpnse::platform {

std::string host_name() {
    char name[MAX_COMPUTERNAME_LENGTH + 1] = {};
    DWORD size = sizeof name;
    return ::GetComputerNameA(name, &size) && size > 0 ? std::string(name, size) : std::string("vpnse");
}

std::string machine_id() {
    char value[64] = {};
    DWORD size = sizeof value;
    if (::RegGetValueA(HKEY_LOCAL_MACHINE, "SOFTWARE\\Microsoft\\Cryptography", "MachineGuid", RRF_RT_REG_SZ,
                       nullptr, value, &size) != ERROR_SUCCESS)
        return {};
    return value;
}

}  // namespace vpnse::platform
