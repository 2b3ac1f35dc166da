#include "profile/profile_parser.hpp"

namespace vpnse {

// Windows has no mode bits to check: a clear password is protected by the ACL of the directory that
// holds the profiles (%ProgramData%\vpnse\profiles: SYSTEM and Administrators only, set by
// windows-service/install.ps1), which every file there inherits.
Status check_profile_file_on_disk(const Profile&, const std::string&) {
    return {};
}

}  // namespace vpnse
