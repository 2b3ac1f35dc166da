#pragma once
// wintun.dll, loaded at run time: the Wintun driver's user-mode API (https://www.wintun.net), resolved
// function by function so a missing DLL or an older one without a function is a clear vpnse::Error
// instead of a process that cannot start. The DLL is looked for next to vpnsed.exe and in System32 only
// (never the current directory or PATH: vpnsed runs as LocalSystem).
//
// The signatures below are written from Wintun's published API description; the handles are opaque.
#include <windows.h>

#include <ifdef.h>

#include <memory>
#include <string>

#include "vpnse/result.hpp"

namespace vpnse::platform::windows {

struct WintunAdapterTag;
struct WintunSessionTag;
using WintunAdapterHandle = WintunAdapterTag*;
using WintunSessionHandle = WintunSessionTag*;

// The ring capacity a session may ask for: a power of two between these (Wintun's limits).
inline constexpr DWORD kWintunMinRingCapacity = 0x20000;    // 128 KiB
inline constexpr DWORD kWintunMaxRingCapacity = 0x4000000;  // 64 MiB
inline constexpr DWORD kWintunMaxPacketSize = 0xFFFF;

struct WintunApi {
    using CreateAdapterFn = WintunAdapterHandle(WINAPI*)(LPCWSTR name, LPCWSTR tunnel_type,
                                                         const GUID* requested_guid);
    using OpenAdapterFn = WintunAdapterHandle(WINAPI*)(LPCWSTR name);
    using CloseAdapterFn = void(WINAPI*)(WintunAdapterHandle adapter);
    using GetAdapterLuidFn = void(WINAPI*)(WintunAdapterHandle adapter, NET_LUID* luid);
    using GetRunningDriverVersionFn = DWORD(WINAPI*)();
    using StartSessionFn = WintunSessionHandle(WINAPI*)(WintunAdapterHandle adapter, DWORD capacity);
    using EndSessionFn = void(WINAPI*)(WintunSessionHandle session);
    using GetReadWaitEventFn = HANDLE(WINAPI*)(WintunSessionHandle session);
    // Null with GetLastError() ERROR_NO_MORE_ITEMS (ring empty), ERROR_HANDLE_EOF (adapter going away)
    // or ERROR_INVALID_DATA (ring corrupt).
    using ReceivePacketFn = BYTE*(WINAPI*)(WintunSessionHandle session, DWORD* packet_size);
    using ReleaseReceivePacketFn = void(WINAPI*)(WintunSessionHandle session, const BYTE* packet);
    // Null with ERROR_HANDLE_EOF or ERROR_BUFFER_OVERFLOW (ring full).
    using AllocateSendPacketFn = BYTE*(WINAPI*)(WintunSessionHandle session, DWORD packet_size);
    using SendPacketFn = void(WINAPI*)(WintunSessionHandle session, const BYTE* packet);

    CreateAdapterFn create_adapter = nullptr;
    OpenAdapterFn open_adapter = nullptr;
    CloseAdapterFn close_adapter = nullptr;
    GetAdapterLuidFn get_adapter_luid = nullptr;
    GetRunningDriverVersionFn get_running_driver_version = nullptr;
    StartSessionFn start_session = nullptr;
    EndSessionFn end_session = nullptr;
    GetReadWaitEventFn get_read_wait_event = nullptr;
    ReceivePacketFn receive_packet = nullptr;
    ReleaseReceivePacketFn release_receive_packet = nullptr;
    AllocateSendPacketFn allocate_send_packet = nullptr;
    SendPacketFn send_packet = nullptr;
};

// The loaded DLL and its functions; the DLL stays loaded while any holder of the shared pointer lives
// (adapters and sessions keep one).
class WintunLibrary {
  public:
    // Errors: not_found naming wintun.dll (not installed next to vpnsed.exe or in System32) or the
    // missing function (a DLL older than this code needs).
    static Result<std::shared_ptr<const WintunLibrary>> load();
    // Loads `dll_name` instead (tests: a DLL that is not Wintun).
    static Result<std::shared_ptr<const WintunLibrary>> load(const std::wstring& dll_name);

  private:
    struct Private {
        explicit Private() = default;
    };

  public:
    WintunLibrary(Private, HMODULE module, WintunApi api) : module_(module), api_(api) {}
    WintunLibrary(const WintunLibrary&) = delete;
    WintunLibrary& operator=(const WintunLibrary&) = delete;
    ~WintunLibrary();

    const WintunApi& api() const noexcept { return api_; }

  private:
    HMODULE module_;
    WintunApi api_;
};

}  // namespace vpnse::platform::windows
