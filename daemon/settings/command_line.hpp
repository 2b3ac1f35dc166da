#pragma once
// vpnsed's command line. Options override the matching vpnsed.toml keys, so a test or a debugging
// session can run a private daemon without editing /etc.
#include <optional>
#include <string>
#include <vector>

#include "settings/daemon_settings.hpp"
#include "vpnse/result.hpp"

namespace vpnsed::settings {

struct CommandLine {
    std::string config_path{kDefaultConfigPath};
    bool config_path_given = false;  // an explicit --config must exist; the default need not
    bool foreground = false;
    bool help = false;
    bool version = false;
    std::optional<std::string> socket_path;
    std::optional<std::string> state_dir;
    std::optional<std::string> profile_dir;
    std::optional<vpnse::LogLevel> log_level;
};

// ErrorCode::invalid_argument with a one-line reason on unknown options or missing values.
vpnse::Result<CommandLine> parse_command_line(const std::vector<std::string>& args);
void apply_overrides(const CommandLine& command_line, DaemonSettings& settings);
std::string command_line_usage();

}  // namespace vpnsed::settings
