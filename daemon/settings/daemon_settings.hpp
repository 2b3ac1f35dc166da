#pragma once
// vpnsed.toml: the daemon's own configuration (profiles live in separate files under profile_dir).
// Errors are ErrorCode::config_invalid naming file and key, like profiles. docs/configuration.md lists
// every key.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnsed::settings {

enum class DnsBackend { automatic, resolved, resolvconf, none };
std::string_view dns_backend_name(DnsBackend backend) noexcept;

inline constexpr std::string_view kDefaultConfigPath = "/etc/vpnse/vpnsed.toml";

struct DaemonSettings {
    std::string socket_path = "/run/vpnse/vpnsed.sock";
    std::string group = "vpnse";  // members (and root) may call mutating methods
    vpnse::LogLevel log_level = vpnse::LogLevel::info;
    // Private (0700, the crash journal): never the socket's directory, which must stay 0755.
    std::string state_dir = "/run/vpnse/state";
    std::string profile_dir = "/etc/vpnse/profiles";
    DnsBackend dns_backend = DnsBackend::automatic;
    std::uint32_t max_clients = 64;            // concurrent control-socket connections
    std::uint32_t client_idle_timeout_s = 60;  // a client that sends nothing is closed (monitors are exempt)
    std::uint32_t stats_interval_ms = 2000;    // period of event.stats notifications
    std::uint32_t log_buffer_lines = 1000;     // lines kept for daemon.logs
    bool tun_offload = true;                   // TSO/GRO on the TUN (platform/tun_device.hpp)
    bool dbus_enabled = true;  // org.vpnse.Daemon on the system bus, polkit (docs/ipc-dbus.md)
};

// config_invalid when the paths cannot work together: the state directory (made owner-only) must not
// contain the control socket, or nobody but root could reach it.
vpnse::Status check_paths(const DaemonSettings& settings);

vpnse::Result<DaemonSettings> parse_settings(std::string_view toml_text, std::string_view source_name);

// A missing file gives the defaults when `missing_ok` (the default path need not exist), an error otherwise.
vpnse::Result<DaemonSettings> load_settings_file(const std::filesystem::path& path, bool missing_ok);

}  // namespace vpnsed::settings
