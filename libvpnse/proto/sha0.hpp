#pragma once
// SHA-0 (FIPS 180, 1993): SHA-1 without the 1-bit rotation in the message schedule. SoftEther hashes
// passwords with it (softether-protocol.md 7.1); no TLS library ships it.
#include <array>
#include <cstdint>

#include "core/bytes.hpp"

namespace vpnse::proto {

using Sha0Digest = std::array<std::uint8_t, 20>;

class Sha0 {
  public:
    Sha0();
    void update(ByteSpan data);
    Sha0Digest finish();

  private:
    void transform(const std::uint8_t* block);

    std::array<std::uint32_t, 5> state_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t total_bytes_ = 0;
};

Sha0Digest sha0(ByteSpan data);

}  // namespace vpnse::proto
