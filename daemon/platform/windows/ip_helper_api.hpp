#pragma once
// The IP Helper functions the network backend calls, resolved from iphlpapi.dll at run time rather
// than imported: vpnsed.exe then starts wherever iphlpapi.dll lacks some of them (wine implements
// none of the *Entry2 functions; SetInterfaceDnsSettings only exists since Windows 10 2004), and the
// tunnel that needs one fails with an error naming it.
// Winsock first, then the IP Helper headers that build on it (the order matters).
#include <winsock2.h>

#include <ws2ipdef.h>

#include <iphlpapi.h>
#include <netioapi.h>

#include "platform/windows/ip_helper_requests.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform::windows {

struct IpHelperApi {
    DWORD(WINAPI* create_unicast_ip_address_entry)(const MIB_UNICASTIPADDRESS_ROW*) = nullptr;
    DWORD(WINAPI* delete_unicast_ip_address_entry)(const MIB_UNICASTIPADDRESS_ROW*) = nullptr;
    void(WINAPI* initialize_ip_forward_entry)(MIB_IPFORWARD_ROW2*) = nullptr;
    DWORD(WINAPI* create_ip_forward_entry2)(const MIB_IPFORWARD_ROW2*) = nullptr;
    DWORD(WINAPI* delete_ip_forward_entry2)(const MIB_IPFORWARD_ROW2*) = nullptr;
    DWORD(WINAPI* get_ip_forward_entry2)(MIB_IPFORWARD_ROW2*) = nullptr;
    DWORD(WINAPI* get_best_route2)
    (NET_LUID*, NET_IFINDEX, const SOCKADDR_INET*, const SOCKADDR_INET*, ULONG, MIB_IPFORWARD_ROW2*,
     SOCKADDR_INET*) = nullptr;
    void(WINAPI* initialize_ip_interface_entry)(MIB_IPINTERFACE_ROW*) = nullptr;
    DWORD(WINAPI* get_ip_interface_entry)(MIB_IPINTERFACE_ROW*) = nullptr;
    DWORD(WINAPI* set_ip_interface_entry)(MIB_IPINTERFACE_ROW*) = nullptr;
    DWORD(WINAPI* convert_interface_index_to_luid)(NET_IFINDEX, NET_LUID*) = nullptr;
    DWORD(WINAPI* convert_interface_luid_to_guid)(const NET_LUID*, GUID*) = nullptr;
};

// The addresses-and-routes functions (loaded once). Errors: not_found naming the missing function.
Result<const IpHelperApi*> ip_helper();
using IpHelperLoader = Result<const IpHelperApi*> (*)();

struct DnsSettingsApi {
    DWORD(WINAPI* set_interface_dns_settings)
    (GUID interface_guid, const DnsInterfaceSettings* settings) = nullptr;
};
// SetInterfaceDnsSettings. Errors: not_supported saying Windows 10 version 2004 or later is needed.
Result<DnsSettingsApi> dns_settings_api();
using DnsSettingsLoader = Result<DnsSettingsApi> (*)();

}  // namespace vpnse::platform::windows
