#include "settings/daemon_settings.hpp"

#include <fstream>
#include <optional>
#include <system_error>

#include "profile/toml_section.hpp"

namespace vpnsed::settings {
namespace {

using vpnse::Error;
using vpnse::ErrorCode;
using vpnse::profile::TomlErrors;
using vpnse::profile::TomlSection;

void require_absolute(TomlSection& root, std::string_view key, const std::string& value) {
    if (value.empty() || value.front() != '/')
        root.fail(key, "must be an absolute path (got \"" + value + "\")");
}

}  // namespace

std::string_view dns_backend_name(DnsBackend backend) noexcept {
    switch (backend) {
        case DnsBackend::automatic:
            return "auto";
        case DnsBackend::resolved:
            return "resolved";
        case DnsBackend::resolvconf:
            return "resolvconf";
        case DnsBackend::none:
            return "none";
    }
    return "auto";
}

vpnse::Result<DaemonSettings> parse_settings(std::string_view toml_text, std::string_view source_name) {
    std::optional<Error> syntax_error;
    auto table = vpnse::profile::parse_toml(toml_text, source_name, syntax_error);
    if (!table)
        return *syntax_error;

    DaemonSettings out;
    TomlErrors errors(source_name);
    TomlSection root(&*table, "", errors);
    std::string log_level(vpnse::log_level_name(out.log_level));
    std::string dns_backend(dns_backend_name(out.dns_backend));
    root.read("socket_path", out.socket_path);
    root.read("group", out.group);
    root.read("log_level", log_level);
    root.read("state_dir", out.state_dir);
    root.read("profile_dir", out.profile_dir);
    root.read("dns_backend", dns_backend);
    root.read_int("max_clients", 1, 1024, out.max_clients);
    root.read_int("client_idle_timeout_s", 1, 86400, out.client_idle_timeout_s);
    root.read_int("stats_interval_ms", 250, 60000, out.stats_interval_ms);
    root.read_int("log_buffer_lines", 0, 100000, out.log_buffer_lines);
    root.read("tun_offload", out.tun_offload);
    root.read("dbus_enabled", out.dbus_enabled);
    root.reject_unknown_keys();

    require_absolute(root, "socket_path", out.socket_path);
    require_absolute(root, "state_dir", out.state_dir);
    require_absolute(root, "profile_dir", out.profile_dir);
    // sockaddr_un.sun_path holds 108 bytes including the terminator.
    if (out.socket_path.size() > 107)
        root.fail("socket_path", "is longer than 107 bytes, the limit of a Unix socket path");
    if (out.group.empty())
        root.fail("group", "must not be empty");
    if (!vpnse::parse_log_level(log_level, out.log_level))
        root.fail("log_level",
                  "must be \"trace\", \"debug\", \"info\", \"warn\", \"error\" or \"off\" (got \"" +
                      log_level + "\")");
    bool known_backend = false;
    for (auto backend :
         {DnsBackend::automatic, DnsBackend::resolved, DnsBackend::resolvconf, DnsBackend::none}) {
        if (dns_backend == dns_backend_name(backend)) {
            out.dns_backend = backend;
            known_backend = true;
        }
    }
    if (!known_backend)
        root.fail("dns_backend",
                  "must be \"auto\", \"resolved\", \"resolvconf\" or \"none\" (got \"" + dns_backend + "\")");
    if (errors.failed())
        return *errors.error();
    return out;
}

vpnse::Status check_paths(const DaemonSettings& settings) {
    const auto state = std::filesystem::path(settings.state_dir).lexically_normal();
    const auto socket_dir = std::filesystem::path(settings.socket_path).lexically_normal().parent_path();
    const auto relative = socket_dir.lexically_relative(state);
    const bool inside = !relative.empty() && *relative.begin() != "..";
    if (!inside)
        return {};
    return Error(ErrorCode::config_invalid,
                 "state_dir " + settings.state_dir + " contains the control socket " + settings.socket_path +
                     ": vpnsed keeps the state directory private (0700), so members of group " +
                     settings.group +
                     " and other users could not reach the socket; use a subdirectory for state_dir (default "
                     "/run/vpnse/state)");
}

vpnse::Result<DaemonSettings> load_settings_file(const std::filesystem::path& path, bool missing_ok) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        if (missing_ok)
            return DaemonSettings{};
        return Error(ErrorCode::not_found, path.string() + ": no such file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error(ErrorCode::io_error, path.string() + ": cannot open file");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse_settings(text, path.string());
}

}  // namespace vpnsed::settings
