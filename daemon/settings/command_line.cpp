#include "settings/command_line.hpp"

namespace vpnsed::settings {

using vpnse::Error;
using vpnse::ErrorCode;

vpnse::Result<CommandLine> parse_command_line(const std::vector<std::string>& args) {
    CommandLine out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string option = args[i];
        std::optional<std::string> inline_value;
        if (auto eq = option.find('='); option.rfind("--", 0) == 0 && eq != std::string::npos) {
            inline_value = option.substr(eq + 1);
            option.resize(eq);
        }
        auto value = [&]() -> std::optional<std::string> {
            if (inline_value)
                return inline_value;
            if (i + 1 < args.size())
                return args[++i];
            return std::nullopt;
        };
        auto takes_value = [&](std::optional<std::string>& target) -> vpnse::Status {
            target = value();
            if (!target || target->empty())
                return Error(ErrorCode::invalid_argument, option + " needs a value");
            return {};
        };
        vpnse::Status status;
        if (option == "-h" || option == "--help") {
            out.help = true;
        } else if (option == "--version") {
            out.version = true;
        } else if (option == "-f" || option == "--foreground") {
            out.foreground = true;
        } else if (option == "-c" || option == "--config") {
            std::optional<std::string> path;
            status = takes_value(path);
            if (path) {
                out.config_path = *path;
                out.config_path_given = true;
            }
        } else if (option == "--socket") {
            status = takes_value(out.socket_path);
        } else if (option == "--state-dir") {
            status = takes_value(out.state_dir);
        } else if (option == "--profile-dir") {
            status = takes_value(out.profile_dir);
        } else if (option == "--log-level") {
            std::optional<std::string> level_text;
            status = takes_value(level_text);
            vpnse::LogLevel level{};
            if (status.ok() && !vpnse::parse_log_level(*level_text, level))
                status =
                    Error(ErrorCode::invalid_argument, "--log-level: unknown level \"" + *level_text + "\"");
            if (status.ok())
                out.log_level = level;
        } else {
            status = Error(ErrorCode::invalid_argument, "unknown option \"" + option + "\"");
        }
        if (!status.ok())
            return std::move(status).error();
    }
    return out;
}

void apply_overrides(const CommandLine& command_line, DaemonSettings& settings) {
    if (command_line.socket_path)
        settings.socket_path = *command_line.socket_path;
    if (command_line.state_dir)
        settings.state_dir = *command_line.state_dir;
    if (command_line.profile_dir)
        settings.profile_dir = *command_line.profile_dir;
    if (command_line.log_level)
        settings.log_level = *command_line.log_level;
}

std::string command_line_usage() {
    return "Usage: vpnsed [OPTIONS]\n"
           "SoftEther VPN client daemon; controlled with vpnsectl over a Unix socket.\n"
           "\n"
           "  -c, --config PATH      daemon configuration (default /etc/vpnse/vpnsed.toml; may be absent)\n"
           "      --socket PATH      control socket (overrides socket_path)\n"
           "      --state-dir DIR    runtime state (overrides state_dir)\n"
           "      --profile-dir DIR  connection profiles (overrides profile_dir)\n"
           "      --log-level LEVEL  trace, debug, info, warn, error or off (overrides log_level)\n"
           "  -f, --foreground       log to stderr without journal prefixes (systemd runs it this way too)\n"
           "      --version          print the version and exit\n"
           "  -h, --help             show this help\n"
           "\n"
           "Signals: SIGTERM/SIGINT disconnect every tunnel and exit; SIGHUP reloads profiles.\n";
}

}  // namespace vpnsed::settings
