#pragma once
// profiles.remove: the profile's file, and the certificate and key an import stored beside it, deleted
// from profile_dir. The caller reloads afterwards (which disconnects the removed profile's tunnel).
#include <filesystem>
#include <string>
#include <vector>

#include "vpnse/result.hpp"

namespace vpnsed::service {

// not_found when <dir>/<name>.toml does not exist; invalid_argument for a name that is not a profile
// name. Returns the files deleted, the profile first.
vpnse::Result<std::vector<std::string>> remove_profile_files(const std::filesystem::path& dir,
                                                             const std::string& name);

}  // namespace vpnsed::service
