#include "core/random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>

namespace vpnse {

void SystemRandom::fill(std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            std::abort();  // no entropy source at all: continuing would produce predictable secrets
        }
        done += static_cast<std::size_t>(n);
    }
}

void SeededRandom::fill(std::span<std::uint8_t> out) {
    for (auto& byte : out) {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        byte = static_cast<std::uint8_t>(state_ >> 24);
    }
}

}  // namespace vpnse
