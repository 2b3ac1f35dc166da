#pragma once
// Loading every profile of profile_dir: one <name>.toml per profile (vpnse::load_profile_file rules).
// A broken file does not stop the others; its error is reported by profiles.list/reload and logged.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "vpnse/profile.hpp"

namespace vpnsed::service {

struct ProfileLoadError {
    std::string file;
    std::string message;
};

struct ProfileDirectory {
    std::map<std::string, vpnse::Profile> profiles;  // by name
    std::vector<ProfileLoadError> errors;
};

// Reads regular files ending in ".toml" whose name does not start with '.' (editor backups and swap files
// are skipped). A missing directory is one error, not a crash.
ProfileDirectory load_profile_directory(const std::filesystem::path& directory);

// Profile's operator== (every field): reload keeps a connected tunnel only when nothing in its profile
// changed. Kept as a name for that rule, which the tunnel manager calls.
bool same_profile(const vpnse::Profile& a, const vpnse::Profile& b);

}  // namespace vpnsed::service
