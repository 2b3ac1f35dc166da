#pragma once
// Where vpnsed keeps what tls.verify = "tofu" trusted on first use: <state_dir>/trusted/<profile>.sha256,
// one line of 64 lower-case hex digits (the server certificate's SHA-256, as tls.fingerprint takes it).
// Deleting the file makes the next connect a first use again.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "vpnse/result.hpp"

namespace vpnsed::tunnel {

class ServerTrust {
  public:
    ServerTrust(const std::string& state_dir, const std::string& profile_name);

    // None when nothing is recorded yet; an unreadable or malformed file is an error (never silently a
    // first use again).
    vpnse::Result<std::optional<std::array<std::uint8_t, 32>>> load() const;
    // Written atomically, mode 0600.
    vpnse::Status save(const std::array<std::uint8_t, 32>& sha256) const;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

}  // namespace vpnsed::tunnel
