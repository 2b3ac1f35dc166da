#include <sys/stat.h>

#include "profile/profile_parser.hpp"

namespace vpnse {

Status check_profile_file_on_disk(const Profile& profile, const std::string& source) {
    struct stat info {};
    if (::stat(source.c_str(), &info) != 0)
        return Error(ErrorCode::io_error, source + ": cannot stat file");
    return check_profile_file_access(profile, source, info.st_mode, info.st_uid);
}

}  // namespace vpnse
