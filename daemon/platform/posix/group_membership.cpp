#include "platform/posix/group_membership.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <vector>

namespace vpnsed::platform {
namespace {

// getpwuid_r/getgrnam_r buffers: sysconf may say -1 (no limit); 16 KiB covers ordinary entries and we grow.
template <class Lookup>
bool with_buffer(Lookup lookup) {
    for (std::size_t size = 16 * 1024; size <= 1024 * 1024; size *= 4) {
        std::vector<char> buffer(size);
        const int rc = lookup(buffer);
        if (rc != ERANGE)
            return rc == 0;
    }
    return false;
}

}  // namespace

bool is_root_or_member(uid_t uid, gid_t gid, const std::string& group) {
    if (uid == 0)
        return true;
    gid_t group_id = 0;
    bool group_found = false;
    with_buffer([&](std::vector<char>& buffer) {
        struct group entry {};
        struct group* result = nullptr;
        const int rc = ::getgrnam_r(group.c_str(), &entry, buffer.data(), buffer.size(), &result);
        if (rc == 0 && result) {
            group_id = result->gr_gid;
            group_found = true;
        }
        return rc;
    });
    if (!group_found)
        return false;
    if (gid == group_id)
        return true;
    // Supplementary groups come from the group database for the peer's user name; the peer's own process
    // may have dropped them, but membership is what the administrator configured.
    std::string user_name;
    gid_t primary = gid;
    with_buffer([&](std::vector<char>& buffer) {
        struct passwd entry {};
        struct passwd* result = nullptr;
        const int rc = ::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &result);
        if (rc == 0 && result) {
            user_name = result->pw_name;
            primary = result->pw_gid;
        }
        return rc;
    });
    if (user_name.empty())
        return false;
    int count = 64;
    std::vector<gid_t> groups(static_cast<std::size_t>(count));
    while (::getgrouplist(user_name.c_str(), primary, groups.data(), &count) < 0) {
        if (count <= static_cast<int>(groups.size()) || count > 65536)
            return false;
        groups.resize(static_cast<std::size_t>(count));
    }
    groups.resize(static_cast<std::size_t>(count));
    for (gid_t member_of : groups)
        if (member_of == group_id)
            return true;
    return false;
}

}  // namespace vpnsed::platform
