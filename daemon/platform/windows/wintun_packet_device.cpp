#include "platform/windows/wintun_packet_device.hpp"

// Winsock first, then the IP Helper headers that build on it (the order matters).
#include <winsock2.h>

#include <ws2ipdef.h>

#include <iphlpapi.h>
#include <netioapi.h>

#include <asio/post.hpp>
#include <cstring>
#include <thread>
#include <vector>

#include "platform/windows/unique_handle.hpp"
#include "platform/windows/wide_string.hpp"
#include "platform/windows/win32_error.hpp"

namespace vpnse::platform::windows {
namespace {

// The adapter, closed (and removed from the system) when the last owner goes.
class WintunAdapter {
  public:
    WintunAdapter(std::shared_ptr<const WintunLibrary> library, WintunAdapterHandle handle)
        : library_(std::move(library)), handle_(handle) {}
    WintunAdapter(const WintunAdapter&) = delete;
    WintunAdapter& operator=(const WintunAdapter&) = delete;
    ~WintunAdapter() { library_->api().close_adapter(handle_); }
    WintunAdapterHandle get() const { return handle_; }

  private:
    std::shared_ptr<const WintunLibrary> library_;
    WintunAdapterHandle handle_;
};

class WintunSession {
  public:
    WintunSession(std::shared_ptr<const WintunLibrary> library, WintunSessionHandle handle)
        : library_(std::move(library)), handle_(handle) {}
    WintunSession(const WintunSession&) = delete;
    WintunSession& operator=(const WintunSession&) = delete;
    ~WintunSession() { library_->api().end_session(handle_); }
    WintunSessionHandle get() const { return handle_; }

  private:
    std::shared_ptr<const WintunLibrary> library_;
    WintunSessionHandle handle_;
};

// Packets read off the ring, copied out so the ring space is released at once.
struct Burst {
    std::vector<std::uint8_t> bytes;
    std::vector<std::pair<std::size_t, std::size_t>> packets;  // offset, size
};

// What the reader thread and the io thread share; outlives the device while a burst is posted.
struct ReaderState {
    PacketHandler handler;
    bool closed = false;     // io thread only
    UniqueHandle delivered;  // auto-reset: the io thread has taken the last burst
    UniqueHandle stop;       // manual-reset: close() asks the reader to leave
};

class WintunPacketDevice final : public PacketDevice {
  public:
    WintunPacketDevice(asio::io_context& io, std::shared_ptr<const WintunLibrary> library,
                       std::unique_ptr<WintunAdapter> adapter, std::unique_ptr<WintunSession> session,
                       std::string name, int ifindex, std::uint32_t mtu, Logger logger)
        : io_(io),
          library_(std::move(library)),
          adapter_(std::move(adapter)),
          session_(std::move(session)),
          name_(std::move(name)),
          ifindex_(ifindex),
          mtu_(mtu),
          logger_(std::move(logger)),
          state_(std::make_shared<ReaderState>()) {
        state_->delivered.reset(::CreateEventW(nullptr, FALSE, FALSE, nullptr));
        state_->stop.reset(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
    }
    ~WintunPacketDevice() override { close(); }

    const std::string& name() const noexcept override { return name_; }
    int ifindex() const noexcept override { return ifindex_; }
    std::uint32_t mtu() const noexcept override { return mtu_; }

    void start(PacketHandler to_tunnel) override {
        if (reader_.joinable() || !session_)
            return;
        state_->handler = std::move(to_tunnel);
        reader_ = std::thread([this] { read_loop(); });
    }

    void write(std::span<const std::uint8_t> ip_packet) override {
        if (!session_ || ip_packet.empty() || ip_packet.size() > kWintunMaxPacketSize)
            return;
        const auto& api = library_->api();
        BYTE* slot = api.allocate_send_packet(session_->get(), static_cast<DWORD>(ip_packet.size()));
        if (slot == nullptr)
            return;  // ring full (ERROR_BUFFER_OVERFLOW) or adapter going away: dropped, as a NIC drops
        std::memcpy(slot, ip_packet.data(), ip_packet.size());
        api.send_packet(session_->get(), slot);
    }

    void close() override {
        state_->closed = true;
        if (reader_.joinable()) {
            ::SetEvent(state_->stop.get());
            reader_.join();
        }
        session_.reset();  // the session ends before its adapter goes
        adapter_.reset();
    }

  private:
    // The reader thread: never touches the handler, the logger's callers or anything but the ring and
    // the two events; everything else happens in what it posts to the io thread.
    void read_loop() {
        const auto& api = library_->api();
        WintunSessionHandle session = session_->get();
        const HANDLE readable[2] = {state_->stop.get(), api.get_read_wait_event(session)};
        const HANDLE taken[2] = {state_->stop.get(), state_->delivered.get()};
        for (;;) {
            Burst burst;
            DWORD last = ERROR_SUCCESS;
            while (burst.packets.size() < kWintunReadBurst) {
                DWORD size = 0;
                BYTE* packet = api.receive_packet(session, &size);
                if (packet == nullptr) {
                    last = ::GetLastError();
                    break;
                }
                burst.packets.emplace_back(burst.bytes.size(), size);
                burst.bytes.insert(burst.bytes.end(), packet, packet + size);
                api.release_receive_packet(session, packet);
            }
            if (!burst.packets.empty()) {
                asio::post(io_, [state = state_, burst = std::move(burst)] {
                    for (const auto& [offset, size] : burst.packets) {
                        if (state->closed)
                            break;  // the handler closed the device: the rest is dropped
                        state->handler(std::span<const std::uint8_t>(burst.bytes.data() + offset, size));
                    }
                    ::SetEvent(state->delivered.get());
                });
                // One burst in flight: wait until the io thread has taken it (or close()).
                if (::WaitForMultipleObjects(2, taken, FALSE, INFINITE) != WAIT_OBJECT_0 + 1)
                    return;
            }
            if (last == ERROR_SUCCESS)
                continue;  // the burst was full: read on
            if (last != ERROR_NO_MORE_ITEMS) {
                asio::post(io_, [state = state_, logger = logger_, last] {
                    if (!state->closed)
                        logger.error("the Wintun ring stopped; no more packets from the host",
                                     {{"error", win32_error("WintunReceivePacket", last).message()}});
                });
                return;  // ERROR_HANDLE_EOF (adapter removed) or ERROR_INVALID_DATA
            }
            if (::WaitForMultipleObjects(2, readable, FALSE, INFINITE) != WAIT_OBJECT_0 + 1)
                return;  // stop (or a wait failure: nothing sensible left to read)
        }
    }

    asio::io_context& io_;
    std::shared_ptr<const WintunLibrary> library_;
    std::unique_ptr<WintunAdapter> adapter_;
    std::unique_ptr<WintunSession> session_;
    std::string name_;
    int ifindex_;
    std::uint32_t mtu_;
    Logger logger_;
    std::shared_ptr<ReaderState> state_;
    std::thread reader_;
};

}  // namespace

GUID adapter_guid_for(const std::wstring& name) {
    // Two FNV-1a passes with different offsets give 128 stable bits; the version and variant bits
    // make it a well-formed name-based UUID.
    auto fnv = [&](std::uint64_t hash) {
        for (wchar_t c : L"vpnse-wintun/" + name) {
            hash ^= static_cast<std::uint16_t>(c);
            hash *= 0x100000001b3ull;
        }
        return hash;
    };
    const std::uint64_t high = fnv(0xcbf29ce484222325ull);
    const std::uint64_t low = fnv(0x84222325cbf29ce4ull);
    GUID guid{};
    guid.Data1 = static_cast<unsigned long>(high >> 32);
    guid.Data2 = static_cast<unsigned short>(high >> 16);
    guid.Data3 = static_cast<unsigned short>((high & 0x0fff) | 0x5000);
    for (int i = 0; i < 8; ++i)
        guid.Data4[i] = static_cast<unsigned char>(low >> (8 * (7 - i)));
    guid.Data4[0] = static_cast<unsigned char>((guid.Data4[0] & 0x3f) | 0x80);
    return guid;
}

WintunPacketDeviceFactory::WintunPacketDeviceFactory(Loader load)
    : load_(load ? std::move(load) : Loader([] { return WintunLibrary::load(); })) {}

Result<std::unique_ptr<PacketDevice>> WintunPacketDeviceFactory::open(asio::io_context& io,
                                                                      const TunOptions& options,
                                                                      Logger logger) {
    if (!library_) {
        auto loaded = load_();
        if (!loaded)
            return std::move(loaded).error();
        library_ = std::move(loaded).value();
    }
    const auto& api = library_->api();
    const std::wstring name = widen(options.name.empty() ? std::string("vpnse") : options.name);
    const GUID guid = adapter_guid_for(name);
    WintunAdapterHandle raw_adapter = api.create_adapter(name.c_str(), L"vpnse", &guid);
    if (raw_adapter == nullptr)
        return win32_error("WintunCreateAdapter " + options.name, ::GetLastError());
    auto adapter = std::make_unique<WintunAdapter>(library_, raw_adapter);

    NET_LUID luid{};
    api.get_adapter_luid(adapter->get(), &luid);
    NET_IFINDEX ifindex = 0;
    if (auto rc = ::ConvertInterfaceLuidToIndex(&luid, &ifindex); rc != NO_ERROR)
        return win32_error("ConvertInterfaceLuidToIndex", rc);

    WintunSessionHandle raw_session = api.start_session(adapter->get(), kWintunRingCapacity);
    if (raw_session == nullptr)
        return win32_error("WintunStartSession", ::GetLastError());
    auto session = std::make_unique<WintunSession>(library_, raw_session);

    const DWORD version = api.get_running_driver_version();
    logger.info("Wintun adapter created",
                {{"name", options.name},
                 {"ifindex", std::to_string(ifindex)},
                 {"driver", std::to_string(version >> 16) + "." + std::to_string(version & 0xffff)}});
    return std::unique_ptr<PacketDevice>(std::make_unique<WintunPacketDevice>(
        io, library_, std::move(adapter), std::move(session), options.name.empty() ? "vpnse" : options.name,
        static_cast<int>(ifindex), options.mtu, std::move(logger)));
}

}  // namespace vpnse::platform::windows
