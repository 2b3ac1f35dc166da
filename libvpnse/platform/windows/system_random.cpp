// clang-format off
#include <windows.h>
#include <bcrypt.h>
// clang-format on

#include <algorithm>
#include <cstdlib>

#include "core/random.hpp"

namespace vpnse {

void SystemRandom::fill(std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        const auto chunk = static_cast<ULONG>(std::min<std::size_t>(out.size() - done, 1u << 30));
        // The system-preferred RNG (CNG's AES-CTR DRBG), no algorithm handle to keep.
        if (!BCRYPT_SUCCESS(
                ::BCryptGenRandom(nullptr, out.data() + done, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            std::abort();  // no entropy source at all: continuing would produce predictable secrets
        done += chunk;
    }
}

}  // namespace vpnse
