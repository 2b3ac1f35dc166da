#include "platform/linux/tun_device.hpp"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

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
    LinuxTunDevice(UniqueFd fd, std::string name, int ifindex, std::uint32_t mtu)
        : fd_(std::move(fd)), name_(std::move(name)), ifindex_(ifindex), mtu_(mtu) {}
    int fd() const noexcept override { return fd_.get(); }
    const std::string& name() const noexcept override { return name_; }
    int ifindex() const noexcept override { return ifindex_; }
    std::uint32_t mtu() const noexcept override { return mtu_; }
    void close() noexcept override { fd_.reset(); }

  private:
    UniqueFd fd_;
    std::string name_;
    int ifindex_;
    std::uint32_t mtu_;
};

}  // namespace

Result<std::unique_ptr<TunDevice>> LinuxTunDeviceFactory::open(const TunOptions& options) {
    if (options.name.size() >= IFNAMSIZ)
        return Error(ErrorCode::invalid_argument, "interface name too long: " + options.name);
    if (options.mtu < 68 || options.mtu > 65535)
        return Error(ErrorCode::invalid_argument, "MTU out of range");

    UniqueFd fd(::open(clone_device_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() < 0)
        return errno_error(errno, "open " + clone_device_);

    ifreq ifr{};
    ifr.ifr_flags = static_cast<short>(IFF_TUN | IFF_NO_PI | (options.multi_queue ? IFF_MULTI_QUEUE : 0));
    // The kernel replaces "%d" with the first free number.
    const std::string wanted = options.name.empty() ? "vpnse%d" : options.name;
    std::memcpy(ifr.ifr_name, wanted.c_str(), wanted.size());
    if (::ioctl(fd.get(), TUNSETIFF, &ifr) < 0)
        return errno_error(errno, "TUNSETIFF " + wanted);
    const std::string name(ifr.ifr_name, strnlen(ifr.ifr_name, IFNAMSIZ));

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
        std::make_unique<LinuxTunDevice>(std::move(fd), name, static_cast<int>(index), options.mtu));
}

}  // namespace vpnse::platform
