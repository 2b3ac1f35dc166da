#include "service/profile_remove.hpp"

#include <system_error>

#include "import/certificate_files.hpp"
#include "profile/profile_parser.hpp"

namespace vpnsed::service {

using vpnse::Error;
using vpnse::ErrorCode;

vpnse::Result<std::vector<std::string>> remove_profile_files(const std::filesystem::path& dir,
                                                             const std::string& name) {
    // The name becomes a path: only a profile name (no '/', no "..") may.
    if (!vpnse::is_valid_profile_name(name))
        return Error(ErrorCode::invalid_argument, "name: \"" + name + "\" is not a profile name");
    const auto profile = dir / (name + ".toml");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(profile, ec)))
        return Error(ErrorCode::not_found, "no profile named " + name + " in " + dir.string());
    if (!std::filesystem::remove(profile, ec))
        return Error(ErrorCode::io_error, "remove " + profile.string() + ": " + ec.message());
    std::vector<std::string> removed{profile.string()};
    // An imported certificate account's files; a hand-written profile's own files elsewhere are not ours.
    const auto [cert, key] = vpnse::import::certificate_file_paths(dir, name);
    for (const auto& file : {cert, key})
        if (std::filesystem::remove(file, ec))
            removed.push_back(file.string());
    return removed;
}

}  // namespace vpnsed::service
