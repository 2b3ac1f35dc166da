#include "core/random.hpp"

namespace vpnse {

void SeededRandom::fill(std::span<std::uint8_t> out) {
    for (auto& byte : out) {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        byte = static_cast<std::uint8_t>(state_ >> 24);
    }
}

}  // namespace vpnse
