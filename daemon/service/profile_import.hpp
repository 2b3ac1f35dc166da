#pragma once
// profiles.import: a profile file (vpnse TOML) or an official client's account file (.vpn) turned into
// the TOML profile written to profile_dir, 0600 root, atomically. The profile is validated by the same
// parser that will load it; an account file's notes say what was not carried over.
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vpnse/profile.hpp"
#include "vpnse/result.hpp"

namespace vpnsed::service {

enum class ImportFormat { detect, toml, vpn };

inline constexpr std::size_t kMaxImportBytes = 256 * 1024;

struct PreparedImport {
    std::string name;
    std::vector<std::string> notes;
    // What is written: a TOML profile as given, or an account file's profile, rendered when it is written
    // (after its certificate and key, if any, are stored as files beside it).
    std::variant<std::string, vpnse::Profile> content;
};

// `name` empty: the account file's name (TOML needs one). A .vpn is recognised by its "declare root".
vpnse::Result<PreparedImport> prepare_import(std::string_view content, std::string_view name,
                                             ImportFormat format);

// Writes <dir>/<name>.toml (0600) atomically (platform/atomic_file.hpp), and an account's certificate and
// key as <name>.cert.der / <name>.key.der (0600) first; an existing profile is only replaced when asked
// (already_exists otherwise).
vpnse::Status write_profile_file(const std::filesystem::path& dir, const PreparedImport& profile,
                                 bool replace);

}  // namespace vpnsed::service
