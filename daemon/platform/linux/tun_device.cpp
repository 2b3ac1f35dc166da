#include "platform/linux/tun_device.hpp"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <utility>

// Linux 6.2; older linux-libc-dev lacks them.
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#endif
#ifndef TUN_F_USO6
#define TUN_F_USO6 0x40
#endif

namespace vpnse::platform {

namespace {

class UniqueFd {
  public:
    explicit UniqueFd(int fd = -1) noexcept : fd_(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        reset(other.release());
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }
    int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = fd;
    }

  private:
    int fd_;
};

Error errno_error(int e, const std::string& what) {
    ErrorCode code = ErrorCode::io_error;
    if (e == EPERM || e == EACCES)
        code = ErrorCode::permission_denied;
    else if (e == EBUSY || e == EEXIST)
        code = ErrorCode::already_exists;
    else if (e == EINVAL)
        code = ErrorCode::invalid_argument;
    return Error(code, what + ": " + std::strerror(e));
}

class LinuxTunDevice final : public TunDevice {
  public:
    LinuxTunDevice(UniqueFd fd, std::string name, int ifindex, std::uint32_t mtu, bool offload)
        : fd_(std::move(fd)), name_(std::move(name)), ifindex_(ifindex), mtu_(mtu), offload_(offload) {}
    int fd() const noexcept override { return fd_.get(); }
    const std::string& name() const noexcept override { return name_; }
    int ifindex() const noexcept override { return ifindex_; }
    std::uint32_t mtu() const noexcept override { return mtu_; }
    bool offload() const noexcept override { return offload_; }
    void close() noexcept override { fd_.reset(); }

  private:
    UniqueFd fd_;
    std::string name_;
    int ifindex_;
    std::uint32_t mtu_;
    bool offload_;
};

// Binds `fd` to the TUN named `wanted` (created if missing); returns the kernel's name for it.
Result<std::string> attach(int fd, const std::string& wanted, int flags) {
    ifreq ifr{};
    ifr.ifr_flags = static_cast<short>(flags);
    std::memcpy(ifr.ifr_name, wanted.c_str(), wanted.size());
    if (::ioctl(fd, TUNSETIFF, &ifr) < 0)
        return errno_error(errno, "TUNSETIFF " + wanted);
    return std::string(ifr.ifr_name, strnlen(ifr.ifr_name, IFNAMSIZ));
}

// On an IFF_VNET_HDR fd: a 10-byte little-endian header, and checksum + TSO offloads, with USO when
// the kernel has it (6.2+). False when the kernel refuses them.
bool enable_offloads(int fd) {
    int size = 10;  // struct virtio_net_hdr, no num_buffers
    if (::ioctl(fd, TUNSETVNETHDRSZ, &size) < 0)
        return false;
    // Little-endian on every host; little-endian hosts use it anyway, so only they may ignore a refusal.
    int little_endian = 1;
    if (::ioctl(fd, TUNSETVNETLE, &little_endian) < 0 && std::endian::native != std::endian::little)
        return false;
    // The argument is an unsigned long by value.
    const unsigned long tso = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
    return ::ioctl(fd, TUNSETOFFLOAD, tso | TUN_F_USO4 | TUN_F_USO6) == 0 ||
           ::ioctl(fd, TUNSETOFFLOAD, tso) == 0;
}

}  // namespace

Result<std::unique_ptr<TunDevice>> LinuxTunDeviceFactory::open(const TunOptions& options) {
    if (options.name.size() >= IFNAMSIZ)
        return Error(ErrorCode::invalid_argument, "interface name too long: " + options.name);
    if (options.mtu < 68 || options.mtu > 65535)
        return Error(ErrorCode::invalid_argument, "MTU out of range");

    UniqueFd fd(::open(clone_device_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() < 0)
        return errno_error(errno, "open " + clone_device_);

    const int flags = IFF_TUN | IFF_NO_PI | (options.multi_queue ? IFF_MULTI_QUEUE : 0);
    // The kernel replaces "%d" with the first free number.
    const std::string wanted = options.name.empty() ? "vpnse%d" : options.name;
    auto attached = attach(fd.get(), wanted, flags | (options.offload ? IFF_VNET_HDR : 0));
    if (!attached)
        return std::move(attached).error();
    const std::string name = std::move(attached).value();
    bool offload = false;
    if (options.offload) {
        offload = enable_offloads(fd.get());
        if (!offload) {
            // IFF_VNET_HDR cannot be cleared on an attached fd; closing the only fd removes the device,
            // so a plain one can take its place under the same name.
            fd.reset(::open(clone_device_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
            if (fd.get() < 0)
                return errno_error(errno, "open " + clone_device_);
            if (auto plain = attach(fd.get(), name, flags); !plain)
                return std::move(plain).error();
        }
    }

    // MTU through an ordinary socket ioctl: it needs no netlink state and fails early on EPERM.
    UniqueFd ctl(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (ctl.get() < 0)
        return errno_error(errno, "socket");
    ifreq mtu_req{};
    std::memcpy(mtu_req.ifr_name, name.c_str(), name.size());
    mtu_req.ifr_mtu = static_cast<int>(options.mtu);
    if (::ioctl(ctl.get(), SIOCSIFMTU, &mtu_req) < 0)
        return errno_error(errno, "set MTU on " + name);

    const unsigned index = if_nametoindex(name.c_str());
    if (index == 0)
        return errno_error(errno, "ifindex of " + name);
    return std::unique_ptr<TunDevice>(
        std::make_unique<LinuxTunDevice>(std::move(fd), name, static_cast<int>(index), options.mtu, offload));
}

}  // namespace vpnse::platform
