#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "client/control_channel.hpp"

namespace vpnsectl {
namespace {

using vpnse::Error;
using vpnse::ErrorCode;

class UnixChannel final : public ControlChannel {
  public:
    explicit UnixChannel(int fd) : fd_(fd) {}
    ~UnixChannel() override { ::close(fd_); }
    UnixChannel(const UnixChannel&) = delete;
    UnixChannel& operator=(const UnixChannel&) = delete;

    vpnse::Result<std::size_t> read(std::span<char> buffer) override {
        while (true) {
            const ssize_t got = ::read(fd_, buffer.data(), buffer.size());
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0)
                return Error(ErrorCode::io_error,
                             std::string("reading from vpnsed: ") + std::strerror(errno));
            return static_cast<std::size_t>(got);
        }
    }

    vpnse::Status write_all(std::string_view bytes) override {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return Error(ErrorCode::io_error, std::string("writing to vpnsed: ") + std::strerror(errno));
            sent += static_cast<std::size_t>(n);
        }
        return {};
    }

  private:
    int fd_;
};

}  // namespace

vpnse::Result<std::unique_ptr<ControlChannel>> open_control_channel(const std::string& socket_path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path.size() >= sizeof address.sun_path)
        return Error(ErrorCode::invalid_argument, "socket path too long: " + socket_path);
    std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return Error(ErrorCode::io_error, std::string("socket: ") + std::strerror(errno));
    auto channel = std::make_unique<UnixChannel>(fd);  // owns fd from here on
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        const int saved = errno;
        std::string hint = saved == ENOENT || saved == ECONNREFUSED ? " (is vpnsed running?)" : "";
        return Error(ErrorCode::io_error,
                     "cannot reach vpnsed at " + socket_path + ": " + std::strerror(saved) + hint);
    }
    return std::unique_ptr<ControlChannel>(std::move(channel));
}

std::string default_control_address() {
    return "/run/vpnse/vpnsed.sock";
}

}  // namespace vpnsectl
