// A stand-in for wintun.dll under wine, where no Wintun driver exists: the twelve functions vpnsed
// resolves (daemon/platform/windows/wintun_library.hpp), over an in-memory receive queue and send log,
// plus FakeWintun* functions the test drives it with (tests/unit/daemon/platform_windows/
// wintun_ring_test.cpp). It follows Wintun's published contract where the device depends on it:
// ReceivePacket answers ERROR_NO_MORE_ITEMS when empty (then the read-wait event is set when packets
// arrive) and ERROR_HANDLE_EOF once the adapter is going away; AllocateSendPacket answers
// ERROR_BUFFER_OVERFLOW when the ring is full. The adapter's LUID is the loopback interface's, so the
// device's ConvertInterfaceLuidToIndex works under wine.
#include <winsock2.h>

#include <ws2ipdef.h>

#include <iphlpapi.h>
#include <netioapi.h>

#include <cstring>

namespace {

constexpr int kSlots = 512;
constexpr DWORD kSlotSize = 2048;

struct Queue {
    BYTE data[kSlots][kSlotSize];
    DWORD size[kSlots];
    int head = 0;
    int count = 0;
};

CRITICAL_SECTION lock;
bool lock_ready = false;
Queue to_device;  // injected "from the host", read by ReceivePacket
Queue sent;       // what SendPacket committed
HANDLE read_event = nullptr;
bool eof = false;
int send_capacity = kSlots;  // AllocateSendPacket fails once this many are held
LONG adapters_open = 0;
LONG sessions_open = 0;
int adapter_token;
int session_token;

void ensure_lock() {
    if (!lock_ready) {
        ::InitializeCriticalSection(&lock);
        lock_ready = true;
    }
}

}  // namespace

extern "C" {

__declspec(dllexport) void* WINAPI WintunCreateAdapter(LPCWSTR, LPCWSTR, const GUID*) {
    ensure_lock();
    ::InterlockedIncrement(&adapters_open);
    return &adapter_token;
}
__declspec(dllexport) void* WINAPI WintunOpenAdapter(LPCWSTR) {
    ::SetLastError(ERROR_FILE_NOT_FOUND);
    return nullptr;
}
__declspec(dllexport) void WINAPI WintunCloseAdapter(void*) {
    ::InterlockedDecrement(&adapters_open);
}
__declspec(dllexport) void WINAPI WintunGetAdapterLUID(void*, NET_LUID* luid) {
    DWORD index = 1;
    SOCKADDR_IN loopback{};
    loopback.sin_family = AF_INET;
    loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::GetBestInterfaceEx(reinterpret_cast<sockaddr*>(&loopback), &index);
    ::ConvertInterfaceIndexToLuid(index, luid);
}
__declspec(dllexport) DWORD WINAPI WintunGetRunningDriverVersion() {
    return (0 << 16) | 14;
}
__declspec(dllexport) void* WINAPI WintunStartSession(void*, DWORD) {
    ensure_lock();
    read_event = ::CreateEventW(nullptr, FALSE, FALSE, nullptr);
    eof = false;
    ::InterlockedIncrement(&sessions_open);
    return &session_token;
}
__declspec(dllexport) void WINAPI WintunEndSession(void*) {
    ::CloseHandle(read_event);
    read_event = nullptr;
    ::InterlockedDecrement(&sessions_open);
}
__declspec(dllexport) HANDLE WINAPI WintunGetReadWaitEvent(void*) {
    return read_event;
}
__declspec(dllexport) BYTE* WINAPI WintunReceivePacket(void*, DWORD* size) {
    ::EnterCriticalSection(&lock);
    BYTE* packet = nullptr;
    DWORD error = ERROR_NO_MORE_ITEMS;
    if (to_device.count > 0) {
        packet = to_device.data[to_device.head];
        *size = to_device.size[to_device.head];
        // The slot stays taken until ReleaseReceivePacket.
    } else if (eof) {
        error = ERROR_HANDLE_EOF;
    }
    ::LeaveCriticalSection(&lock);
    if (packet == nullptr)
        ::SetLastError(error);
    return packet;
}
__declspec(dllexport) void WINAPI WintunReleaseReceivePacket(void*, const BYTE*) {
    ::EnterCriticalSection(&lock);
    to_device.head = (to_device.head + 1) % kSlots;
    --to_device.count;
    ::LeaveCriticalSection(&lock);
}
__declspec(dllexport) BYTE* WINAPI WintunAllocateSendPacket(void*, DWORD size) {
    ::EnterCriticalSection(&lock);
    BYTE* slot = nullptr;
    if (sent.count < send_capacity && size <= kSlotSize) {
        const int at = (sent.head + sent.count) % kSlots;
        sent.size[at] = size;
        slot = sent.data[at];
        ++sent.count;
    }
    ::LeaveCriticalSection(&lock);
    if (slot == nullptr)
        ::SetLastError(ERROR_BUFFER_OVERFLOW);
    return slot;
}
__declspec(dllexport) void WINAPI WintunSendPacket(void*, const BYTE*) {}

// The test's side.
__declspec(dllexport) BOOL WINAPI FakeWintunInject(const BYTE* packet, DWORD size) {
    ensure_lock();
    ::EnterCriticalSection(&lock);
    const bool room = to_device.count < kSlots && size <= kSlotSize;
    if (room) {
        const int at = (to_device.head + to_device.count) % kSlots;
        std::memcpy(to_device.data[at], packet, size);
        to_device.size[at] = size;
        ++to_device.count;
    }
    ::LeaveCriticalSection(&lock);
    if (room && read_event != nullptr)
        ::SetEvent(read_event);
    return room ? TRUE : FALSE;
}
__declspec(dllexport) DWORD WINAPI FakeWintunTakeSent(BYTE* out, DWORD capacity) {
    ensure_lock();
    ::EnterCriticalSection(&lock);
    DWORD size = 0;
    if (sent.count > 0) {
        size = sent.size[sent.head] <= capacity ? sent.size[sent.head] : capacity;
        std::memcpy(out, sent.data[sent.head], size);
        sent.head = (sent.head + 1) % kSlots;
        --sent.count;
    }
    ::LeaveCriticalSection(&lock);
    return size;
}
__declspec(dllexport) void WINAPI FakeWintunSetSendCapacity(int capacity) {
    send_capacity = capacity;
}
__declspec(dllexport) void WINAPI FakeWintunEndOfFile() {
    ensure_lock();
    ::EnterCriticalSection(&lock);
    eof = true;
    ::LeaveCriticalSection(&lock);
    if (read_event != nullptr)
        ::SetEvent(read_event);
}
__declspec(dllexport) LONG WINAPI FakeWintunOpenHandles() {
    return adapters_open + sessions_open;
}
__declspec(dllexport) int WINAPI FakeWintunPending() {
    ensure_lock();
    ::EnterCriticalSection(&lock);
    const int count = to_device.count;
    ::LeaveCriticalSection(&lock);
    return count;
}

}  // extern "C"
