#pragma once
// RC4 (the keystream XORed over data). Not for confidentiality: SoftEther uses it to obfuscate the
// passwords in account files (import/vpn_account.cpp) and in UDP acceleration v1.
#include <array>
#include <cstdint>
#include <span>

namespace vpnse {

class Rc4 {
  public:
    explicit Rc4(std::span<const std::uint8_t> key);
    // XORs the next bytes of the keystream over `data`.
    void apply(std::span<std::uint8_t> data);

  private:
    std::array<std::uint8_t, 256> state_{};
    std::uint8_t i_ = 0, j_ = 0;
};

}  // namespace vpnse
