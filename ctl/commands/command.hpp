#pragma once
// The subcommands of vpnsectl (one file each) and what they share. ctl/main.cpp holds the table.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/rpc_client.hpp"

namespace vpnsectl {

// Documented in `vpnsectl --help`; scripts rely on them.
enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,      // the daemon reported a failure (auth failed, unknown profile, ...)
    kExitUsage = 2,        // bad command line
    kExitUnreachable = 3,  // no daemon on the socket, or the connection broke
    kExitDenied = 4,       // permission denied (needs root or the vpnse group)
};

struct CommandContext {
    std::string socket_path;
    bool json = false;
    std::vector<std::string> args;  // after the subcommand name
};

int run_connect(CommandContext& context);
int run_disconnect(CommandContext& context);
int run_status(CommandContext& context);
int run_list(CommandContext& context);
int run_monitor(CommandContext& context);
int run_logs(CommandContext& context);
int run_version(CommandContext& context);
int run_reload(CommandContext& context);
int run_profiles(CommandContext& context);
int run_import(CommandContext& context);

// Shared helpers (commands/common.cpp).
std::optional<RpcClient> open_client(const CommandContext& context, int& exit_code);
// Prints "vpnsectl: <what>: <message>" (or the error as JSON with --json) and picks the exit code.
int fail(const CommandContext& context, const RpcClient* client, const vpnse::Error& error,
         std::string_view what);
int usage_error(std::string_view message);
void print_json(const nlohmann::json& value);

}  // namespace vpnsectl
