// vpnsectl: the command table. Each command lives in commands/<name>.cpp and reaches vpnsed only
// through client/rpc_client.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "commands/command.hpp"

namespace {

using namespace vpnsectl;

struct Command {
    const char* name;
    int (*run)(CommandContext&);
    const char* usage;
    const char* description;
};

constexpr Command kCommands[] = {
    {"connect", run_connect, "connect NAME [--no-wait] [--timeout S]",
     "bring a profile up; waits until established or failed (default 60 s)"},
    {"disconnect", run_disconnect, "disconnect NAME | --all", "take a tunnel (or every tunnel) down"},
    {"status", run_status, "status [NAME]", "active tunnels, or one tunnel in detail"},
    {"list", run_list, "list", "every profile with its state"},
    {"profiles", run_profiles, "profiles show NAME | remove NAME",
     "a profile's settings (secrets stay in the daemon), or delete it"},
    {"reload", run_reload, "reload", "re-read the profile directory (like SIGHUP to vpnsed)"},
    {"monitor", run_monitor, "monitor [--no-stats]", "print state, traffic and log events until Ctrl-C"},
    {"logs", run_logs, "logs [-n N]", "the daemon's most recent log lines (default 100)"},
    {"import", run_import, "import FILE [--name N] [--replace]",
     "add a profile from a vpnse .toml or an official client .vpn file"},
    {"version", run_version, "version", "versions of vpnsectl and vpnsed"},
};

void print_help() {
    std::printf(
        "Usage: vpnsectl [--json] [--socket PATH] COMMAND [ARGS]\n"
        "Control the vpnse VPN client daemon (vpnsed).\n\nCommands:\n");
    for (const auto& command : kCommands)
        std::printf("  %-40s %s\n", command.usage, command.description);
    std::printf(
        "\nOptions:\n"
        "  --json          print the daemon's answer as JSON (stable, for scripts)\n"
        "  --socket PATH   control socket (default $VPNSE_SOCKET or /run/vpnse/vpnsed.sock)\n"
        "  --pipe[=NAME]   Windows: the named pipe (default \\\\.\\pipe\\vpnse, also the default there)\n"
        "  -h, --help      show this help\n"
        "\nExit status:\n"
        "  0  success\n"
        "  1  the daemon reported a failure (e.g. authentication failed, unknown profile)\n"
        "  2  usage error\n"
        "  3  cannot reach the daemon (not running, wrong --socket) or the connection broke\n"
        "  4  permission denied: connect, disconnect, reload, import and profiles remove need root or "
        "membership in the vpnse group\n");
}

}  // namespace

int main(int argc, char** argv) {
    CommandContext context;
    const char* env_socket = std::getenv("VPNSE_SOCKET");
    context.socket_path = env_socket && *env_socket ? env_socket : default_control_address();
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; ++i) {
        const std::string option = argv[i];
        if (option == "--json") {
            context.json = true;
        } else if (option == "--socket" && i + 1 < argc) {
            context.socket_path = argv[++i];
        } else if (option.rfind("--socket=", 0) == 0) {
            context.socket_path = option.substr(9);
        } else if (option == "--pipe") {
            context.socket_path = R"(\\.\pipe\vpnse)";
        } else if (option.rfind("--pipe=", 0) == 0) {
            context.socket_path = option.substr(7);
        } else if (option == "-h" || option == "--help") {
            print_help();
            return kExitOk;
        } else {
            return usage_error("unknown option " + option);
        }
    }
    if (i >= argc) {
        print_help();
        return kExitUsage;
    }
    const std::string name = argv[i];
    // Global options are accepted after the command too ("vpnsectl status --json").
    for (int j = i + 1; j < argc; ++j) {
        const std::string arg = argv[j];
        if (arg == "--json") {
            context.json = true;
        } else if (arg == "--socket" && j + 1 < argc) {
            context.socket_path = argv[++j];
        } else if (arg.rfind("--socket=", 0) == 0) {
            context.socket_path = arg.substr(9);
        } else if (arg == "--pipe") {
            context.socket_path = R"(\\.\pipe\vpnse)";
        } else if (arg.rfind("--pipe=", 0) == 0) {
            context.socket_path = arg.substr(7);
        } else {
            context.args.push_back(arg);
        }
    }
    for (const auto& command : kCommands)
        if (name == command.name)
            return command.run(context);
    if (name == "help") {
        print_help();
        return kExitOk;
    }
    return usage_error("unknown command " + name);
}
