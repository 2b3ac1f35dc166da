#pragma once
// A RandomSource that draws from another one a block at a time: for randomness needed per packet (the
// UDP acceleration's padding lengths and keep-alive jitter), where asking the OS each time would cost one
// getrandom(2) system call per datagram. The same bytes in the same order as the source would give; each
// byte handed out is wiped from the pool, so nothing already used lingers in it.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "core/random.hpp"

namespace vpnse {

class PooledRandom final : public RandomSource {
  public:
    explicit PooledRandom(RandomSource& source) : source_(source) {}
    ~PooledRandom() override { std::memset(pool_.data(), 0, pool_.size()); }
    PooledRandom(const PooledRandom&) = delete;
    PooledRandom& operator=(const PooledRandom&) = delete;

    void fill(std::span<std::uint8_t> out) override {
        std::size_t done = 0;
        while (done < out.size()) {
            if (used_ == pool_.size()) {
                source_.fill(pool_);
                used_ = 0;
            }
            const std::size_t n = std::min(out.size() - done, pool_.size() - used_);
            std::memcpy(out.data() + done, pool_.data() + used_, n);
            std::memset(pool_.data() + used_, 0, n);
            used_ += n;
            done += n;
        }
    }

  private:
    RandomSource& source_;
    std::array<std::uint8_t, 4096> pool_{};
    std::size_t used_ = pool_.size();
};

}  // namespace vpnse
