#pragma once
// Profile TOML parsing and validation. Every error is ErrorCode::config_invalid with a message naming the
// file and the key path, e.g.
//   "/etc/vpnse/profiles/office.toml: session.max_connections: must be between 1 and 32 (got 40)"
// Unknown keys are rejected so that a typo never silently falls back to a default.
// docs/configuration.md lists every key.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "vpnse/profile.hpp"
#include "vpnse/result.hpp"

namespace vpnse {

struct ProfileParseOptions {
    // The host hands the certificate and key over as bytes (C API: vpnse_config_set_client_certificate),
    // so auth.method = "certificate" needs no auth.cert_file / auth.key_file.
    bool certificate_in_memory = false;
};

// `source_name` is only used in messages (normally the file path); `profile_name` becomes Profile::name
// and must match [a-zA-Z0-9_-]{1,32}.
Result<Profile> parse_profile(std::string_view toml_text, std::string_view source_name,
                              std::string_view profile_name, ProfileParseOptions options = {});

// Reads and parses a profile file; the name is the file stem ("office" for office.toml).
// A profile holding a clear password (auth.password or proxy.password) is refused unless the file is
// mode 0600 and owned by root, because anyone who can read it can log in as that user. auth.password_hash is
// accepted from any file: it is still a credential, but only for this one hub.
Result<Profile> load_profile_file(const std::filesystem::path& path);

// The permission rule of load_profile_file, separated so it can be tested without root.
Status check_profile_file_access(const Profile& profile, std::string_view source_name, std::uint32_t mode,
                                 std::uint32_t owner_uid);
// Applies that rule, and check_key_file_access's to a certificate's key file, to the files on disk: mode
// and owner (platform/posix); on Windows the profile directory's ACL does that job (platform/windows).
Status check_profile_file_on_disk(const Profile& profile, const std::string& source);

// Why a proxy setting is unusable, as the [proxy] key at fault and a message; nullopt if it is fine.
// Shared by the profile parser and vpnse_config_set_proxy.
struct ProxyProblem {
    std::string_view key;  // "host", "port", "username", "password"
    std::string message;
};
std::optional<ProxyProblem> proxy_problem(ProxyType type, std::string_view host, std::uint16_t port,
                                          std::string_view username, std::string_view password);

// The key file rule of load_profile_file for auth.method = "certificate": owned by root, no group or
// other permission bits (0600 or 0400), like a clear password. Separated so it can be tested without root.
Status check_key_file_access(std::string_view key_file, std::uint32_t mode, std::uint32_t owner_uid);

// True if `name` is usable as a profile name: [a-zA-Z0-9_-]{1,32}.
bool is_valid_profile_name(std::string_view name);

}  // namespace vpnse
