#include "platform/windows/ip_helper_api.hpp"

#include <string>

#include "platform/windows/win32_error.hpp"

namespace vpnse::platform::windows {
namespace {

// iphlpapi.dll from System32, loaded for the life of the process (it is a system DLL other parts of
// the process load too; unloading it would gain nothing).
HMODULE iphlpapi() {
    static const HMODULE module = ::LoadLibraryExW(L"iphlpapi.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
    return module;
}

template <typename Fn>
bool resolve(HMODULE module, const char* name, Fn& slot) {
    FARPROC proc = module != nullptr ? ::GetProcAddress(module, name) : nullptr;
    if (proc == nullptr)
        return false;
    // GetProcAddress returns a generic function pointer; the cast to the real signature is the contract.
    slot = reinterpret_cast<Fn>(reinterpret_cast<void*>(proc));
    return true;
}

Result<IpHelperApi> load() {
    HMODULE module = iphlpapi();
    if (module == nullptr)
        return win32_error("cannot load iphlpapi.dll", ::GetLastError());
    IpHelperApi api;
    const char* missing = nullptr;
    auto need = [&](const char* name, auto& slot) {
        if (!missing && !resolve(module, name, slot))
            missing = name;
    };
    need("CreateUnicastIpAddressEntry", api.create_unicast_ip_address_entry);
    need("DeleteUnicastIpAddressEntry", api.delete_unicast_ip_address_entry);
    need("InitializeIpForwardEntry", api.initialize_ip_forward_entry);
    need("CreateIpForwardEntry2", api.create_ip_forward_entry2);
    need("DeleteIpForwardEntry2", api.delete_ip_forward_entry2);
    need("GetIpForwardEntry2", api.get_ip_forward_entry2);
    need("GetBestRoute2", api.get_best_route2);
    need("InitializeIpInterfaceEntry", api.initialize_ip_interface_entry);
    need("GetIpInterfaceEntry", api.get_ip_interface_entry);
    need("SetIpInterfaceEntry", api.set_ip_interface_entry);
    need("ConvertInterfaceIndexToLuid", api.convert_interface_index_to_luid);
    need("ConvertInterfaceLuidToGuid", api.convert_interface_luid_to_guid);
    if (missing)
        return Error(ErrorCode::not_found, std::string("iphlpapi.dll has no ") + missing +
                                               ": cannot configure the tunnel's addresses and routes");
    return api;
}

}  // namespace

Result<const IpHelperApi*> ip_helper() {
    static const Result<IpHelperApi> loaded = load();
    if (!loaded)
        return loaded.error();
    return &*loaded;
}

Result<DnsSettingsApi> dns_settings_api() {
    DnsSettingsApi api;
    if (!resolve(iphlpapi(), "SetInterfaceDnsSettings", api.set_interface_dns_settings))
        return Error(ErrorCode::not_supported,
                     "iphlpapi.dll has no SetInterfaceDnsSettings: the tunnel's DNS needs Windows 10 version "
                     "2004 or later");
    return api;
}

}  // namespace vpnse::platform::windows
