#include "core/rc4.hpp"

#include <utility>

namespace vpnse {

Rc4::Rc4(std::span<const std::uint8_t> key) {
    for (std::size_t i = 0; i < state_.size(); ++i)
        state_[i] = static_cast<std::uint8_t>(i);
    if (key.empty())
        return;
    std::uint8_t j = 0;
    for (std::size_t i = 0; i < state_.size(); ++i) {
        j = static_cast<std::uint8_t>(j + state_[i] + key[i % key.size()]);
        std::swap(state_[i], state_[j]);
    }
}

void Rc4::apply(std::span<std::uint8_t> data) {
    for (auto& byte : data) {
        i_ = static_cast<std::uint8_t>(i_ + 1);
        j_ = static_cast<std::uint8_t>(j_ + state_[i_]);
        std::swap(state_[i_], state_[j_]);
        byte ^= state_[static_cast<std::uint8_t>(state_[i_] + state_[j_])];
    }
}

}  // namespace vpnse
