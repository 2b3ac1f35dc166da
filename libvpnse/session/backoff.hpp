#pragma once
// Reconnect delays: exponential with full jitter, capped, reset after a session that stayed up.
#include <cstdint>

#include "core/random.hpp"
#include "core/time.hpp"

namespace vpnse::session {

class Backoff {
  public:
    Backoff(Duration initial, Duration maximum) : initial_(initial), maximum_(maximum) {}

    // The delay before the next attempt: uniform in [ceiling/2, ceiling], ceiling doubling per failure.
    Duration next(RandomSource& rng) {
        const auto ceiling = current_ceiling();
        if (attempt_ < 31)
            ++attempt_;
        const auto half = ceiling.count() / 2;
        const auto spread = static_cast<std::uint32_t>(ceiling.count() - half + 1);
        return Duration(half + rng.uniform(spread));
    }
    void reset() { attempt_ = 0; }
    unsigned attempts() const { return attempt_; }

  private:
    Duration current_ceiling() const {
        auto value = initial_;
        for (unsigned i = 0; i < attempt_ && value < maximum_; ++i)
            value *= 2;
        return value < maximum_ ? value : maximum_;
    }

    Duration initial_;
    Duration maximum_;
    unsigned attempt_ = 0;
};

}  // namespace vpnse::session
