#include "platform/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace vpnse::platform {
namespace {

Error errno_error(const std::string& what) {
    return Error(ErrorCode::io_error, what + ": " + std::strerror(errno));
}

// Writes everything (EINTR and short writes retried) and syncs it; false with errno set otherwise.
bool write_all(int fd, std::string_view text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += static_cast<std::size_t>(n);
    }
    return ::fsync(fd) == 0;  // the rename must not become visible before the data
}

}  // namespace

Status write_file_atomically(const std::filesystem::path& path, std::string_view text, unsigned mode) {
    auto tmp = path;
    tmp += ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0)
        return errno_error("open " + tmp.string());
    // The mode of a file that already existed is not changed by open.
    const bool written = ::fchmod(fd, mode) == 0 && write_all(fd, text);
    auto failure = written ? Error() : errno_error("write " + tmp.string());
    ::close(fd);
    if (!written) {
        ::unlink(tmp.c_str());
        return failure;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        auto err = errno_error("rename " + path.string());
        ::unlink(tmp.c_str());
        return err;
    }
    return {};
}

}  // namespace vpnse::platform
