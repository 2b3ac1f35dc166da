#pragma once
// Randomness is injected so state machines are deterministic under test.
#include <cstdint>
#include <span>

namespace vpnse {

class RandomSource {
  public:
    virtual ~RandomSource() = default;
    virtual void fill(std::span<std::uint8_t> out) = 0;

    std::uint32_t next_u32() {
        std::uint8_t b[4];
        fill(b);
        return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
    }
    // Uniform in [0, bound); bound must be > 0.
    std::uint32_t uniform(std::uint32_t bound) {
        return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next_u32()) * bound) >> 32);
    }
};

// The operating system's CSPRNG: getrandom(2) (platform/posix), BCryptGenRandom (platform/windows).
class SystemRandom final : public RandomSource {
  public:
    void fill(std::span<std::uint8_t> out) override;
};

// Deterministic generator for tests (xorshift; not for secrets).
class SeededRandom final : public RandomSource {
  public:
    explicit SeededRandom(std::uint64_t seed) : state_(seed ? seed : 0x9e3779b97f4a7c15ull) {}
    void fill(std::span<std::uint8_t> out) override;

  private:
    std::uint64_t state_;
};

}  // namespace vpnse
