#pragma once
// A Profile as the TOML text profile_parser.hpp reads back to the same Profile (round trip): what
// importing an account file writes into the profile directory. Keys at their defaults are left out, so a
// written profile reads like a hand-written one.
#include <string>
#include <string_view>

#include "vpnse/profile.hpp"

namespace vpnse {

std::string profile_to_toml(const Profile& profile);

// The words the TOML (and the JSON-RPC profile view) use for each mode.
std::string_view auth_method_name(AuthMethod method) noexcept;  // "password", "password_hash", "plain", ...
std::string_view tls_verify_name(TlsVerify verify) noexcept;    // "fingerprint", "ca", "insecure"
std::string_view route_mode_name(RouteMode mode) noexcept;      // "split", "full"
// "AB:CD:..." (upper-case hex, colons), as tls.fingerprint is written.
std::string fingerprint_text(const std::array<std::uint8_t, 32>& sha256);

}  // namespace vpnse
