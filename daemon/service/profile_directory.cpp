#include "service/profile_directory.hpp"

#include "profile/profile_parser.hpp"

namespace vpnsed::service {
bool same_profile(const vpnse::Profile& a, const vpnse::Profile& b) {
    return a == b;
}

ProfileDirectory load_profile_directory(const std::filesystem::path& directory) {
    ProfileDirectory out;
    std::error_code ec;
    std::filesystem::directory_iterator it(directory, ec);
    if (ec) {
        out.errors.push_back(
            {directory.string(), directory.string() + ": cannot read directory: " + ec.message()});
        return out;
    }
    for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
        if (ec)
            break;
        const auto& path = it->path();
        const auto file_name = path.filename().string();
        if (path.extension() != ".toml" || file_name.front() == '.' || !it->is_regular_file(ec))
            continue;
        auto profile = vpnse::load_profile_file(path);
        if (!profile) {
            out.errors.push_back({path.string(), profile.error().message()});
            continue;
        }
        out.profiles.emplace(profile->name, std::move(profile).value());
    }
    return out;
}

}  // namespace vpnsed::service
