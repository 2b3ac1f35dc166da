#include "platform/windows/wintun_library.hpp"

#include "platform/windows/win32_error.hpp"

namespace vpnse::platform::windows {
namespace {

std::string narrow(const std::wstring& text) {
    return std::string(text.begin(), text.end());  // DLL names are ASCII
}

// Resolves one export into `slot`; false when the DLL lacks it.
template <typename Fn>
bool resolve(HMODULE module, const char* name, Fn& slot) {
    FARPROC proc = ::GetProcAddress(module, name);
    if (proc == nullptr)
        return false;
    // GetProcAddress returns a generic function pointer; the cast to the real signature is the contract.
    slot = reinterpret_cast<Fn>(reinterpret_cast<void*>(proc));
    return true;
}

}  // namespace

Result<std::shared_ptr<const WintunLibrary>> WintunLibrary::load() {
    return load(L"wintun.dll");
}

Result<std::shared_ptr<const WintunLibrary>> WintunLibrary::load(const std::wstring& dll_name) {
    // Next to vpnsed.exe, then System32: never the current directory or PATH (DLL planting).
    HMODULE module = ::LoadLibraryExW(dll_name.c_str(), nullptr,
                                      LOAD_LIBRARY_SEARCH_APPLICATION_DIR | LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (module == nullptr) {
        const DWORD code = ::GetLastError();
        return Error(ErrorCode::not_found,
                     "cannot load " + narrow(dll_name) +
                         " (the Wintun driver's DLL, from https://www.wintun.net: install it next to "
                         "vpnsed.exe): " +
                         win32_error("LoadLibraryExW", code).message());
    }
    WintunApi api;
    struct Export {
        const char* name;
        bool found;
    };
    const Export exports[] = {
        {"WintunCreateAdapter", resolve(module, "WintunCreateAdapter", api.create_adapter)},
        {"WintunOpenAdapter", resolve(module, "WintunOpenAdapter", api.open_adapter)},
        {"WintunCloseAdapter", resolve(module, "WintunCloseAdapter", api.close_adapter)},
        {"WintunGetAdapterLUID", resolve(module, "WintunGetAdapterLUID", api.get_adapter_luid)},
        {"WintunGetRunningDriverVersion",
         resolve(module, "WintunGetRunningDriverVersion", api.get_running_driver_version)},
        {"WintunStartSession", resolve(module, "WintunStartSession", api.start_session)},
        {"WintunEndSession", resolve(module, "WintunEndSession", api.end_session)},
        {"WintunGetReadWaitEvent", resolve(module, "WintunGetReadWaitEvent", api.get_read_wait_event)},
        {"WintunReceivePacket", resolve(module, "WintunReceivePacket", api.receive_packet)},
        {"WintunReleaseReceivePacket",
         resolve(module, "WintunReleaseReceivePacket", api.release_receive_packet)},
        {"WintunAllocateSendPacket", resolve(module, "WintunAllocateSendPacket", api.allocate_send_packet)},
        {"WintunSendPacket", resolve(module, "WintunSendPacket", api.send_packet)},
    };
    for (const auto& entry : exports) {
        if (!entry.found) {
            ::FreeLibrary(module);
            return Error(ErrorCode::not_found, narrow(dll_name) + " has no function " + entry.name +
                                                   " (not Wintun, or a Wintun older than 0.14)");
        }
    }
    return std::shared_ptr<const WintunLibrary>(std::make_shared<WintunLibrary>(Private{}, module, api));
}

WintunLibrary::~WintunLibrary() {
    ::FreeLibrary(module_);
}

}  // namespace vpnse::platform::windows
