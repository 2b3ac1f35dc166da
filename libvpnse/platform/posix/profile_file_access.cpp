#include <sys/stat.h>

#include "profile/profile_parser.hpp"

namespace vpnse {

Status check_profile_file_on_disk(const Profile& profile, const std::string& source) {
    struct stat info {};
    if (::stat(source.c_str(), &info) != 0)
        return Error(ErrorCode::io_error, source + ": cannot stat file");
    if (auto access = check_profile_file_access(profile, source, info.st_mode, info.st_uid); !access)
        return access;
    if (profile.auth_method != AuthMethod::certificate)
        return {};
    struct stat key_info {};
    if (::stat(profile.key_file.c_str(), &key_info) != 0)
        return Error(ErrorCode::config_invalid,
                     source + ": auth.key_file " + profile.key_file + ": cannot stat file");
    if (auto access = check_key_file_access(profile.key_file, key_info.st_mode, key_info.st_uid); !access)
        return Error(ErrorCode::config_invalid, source + ": " + access.error().message());
    return {};
}

}  // namespace vpnse
