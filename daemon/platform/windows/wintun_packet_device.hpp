#pragma once
// PacketDevice over a Wintun adapter (wintun_library.hpp): the adapter is created when the tunnel
// opens its device and removed when it closes. Packets from the host are read by one reader thread
// (Wintun's receive side is single-consumer) that sleeps on the session's read-wait event, takes up to
// kWintunReadBurst packets off the ring, hands them to the io_context thread and waits until they are
// delivered before it reads again: at most one burst is in flight, so a slow tunnel makes the ring fill
// and Wintun drop, as a NIC drops, instead of this process buffering without bound. Packets for the
// host go straight into the send ring from the io thread (dropped when the ring is full).
#include <functional>
#include <memory>

#include "platform/packet_device.hpp"
#include "platform/windows/wintun_library.hpp"

namespace vpnse::platform::windows {

inline constexpr std::size_t kWintunReadBurst = 64;
// The session's ring size: 4 MiB holds a few thousand full-size packets (Wintun's own examples use
// the same order of magnitude).
inline constexpr DWORD kWintunRingCapacity = 0x400000;

class WintunPacketDeviceFactory final : public PacketDeviceFactory {
  public:
    using Loader = std::function<Result<std::shared_ptr<const WintunLibrary>>()>;
    // `load` defaults to WintunLibrary::load (wintun.dll next to vpnsed.exe or in System32).
    explicit WintunPacketDeviceFactory(Loader load = {});

    // Loads wintun.dll (once; a failed load is retried at the next open), creates the adapter named
    // options.name and starts its session. Errors: not_found naming wintun.dll when it is missing,
    // permission_denied without Administrator rights, io_error otherwise (the system's message).
    Result<std::unique_ptr<PacketDevice>> open(asio::io_context& io, const TunOptions& options,
                                               Logger logger) override;

  private:
    Loader load_;
    std::shared_ptr<const WintunLibrary> library_;
};

// The adapter GUID for an interface name: stable, so Windows keeps one network profile per tunnel
// instead of a new "Network N" at every connect. A version-5-style UUID from a hash of the name.
GUID adapter_guid_for(const std::wstring& name);

}  // namespace vpnse::platform::windows
