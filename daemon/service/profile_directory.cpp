#include "service/profile_directory.hpp"

#include <tuple>

#include "profile/profile_parser.hpp"

namespace vpnsed::service {
namespace {

auto fields(const vpnse::Profile& p) {
    return std::tie(p.name, p.host, p.port, p.hub, p.username, p.auth_method, p.password, p.password_hash,
                    p.tls_verify, p.ca_file, p.pinned_sha256, p.sni, p.check_hostname, p.max_connections,
                    p.half_connection, p.use_encrypt, p.allow_unencrypted, p.compression, p.route_mode,
                    p.include_routes, p.exclude_routes, p.dns, p.kill_switch, p.mtu, p.ipv6, p.mac,
                    p.reconnect, p.reconnect_initial_ms, p.reconnect_max_ms, p.autoconnect);
}

}  // namespace

bool same_profile(const vpnse::Profile& a, const vpnse::Profile& b) {
    return fields(a) == fields(b);
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
