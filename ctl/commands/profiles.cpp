// vpnsectl profiles show NAME: one profile's settings as the daemon loaded them (profiles.get). The daemon
// never sends secrets, only whether a password or hash is set (docs/ipc-jsonrpc.md).
// vpnsectl profiles remove NAME: deletes the profile's file (profiles.remove); its tunnel goes down.
#include <cstdio>

#include "commands/command.hpp"
#include "output/format.hpp"
#include "protocol/methods.hpp"

namespace vpnsectl {

namespace {

int show(CommandContext& context, RpcClient& client, const std::string& name) {
    auto result = client.call(vpnsed::protocol::method::kProfilesGet, {{"name", name}});
    if (!result)
        return fail(context, &client, result.error(), "profiles show " + name);
    if (context.json)
        print_json(*result);
    else
        std::printf("%s", profile_text(result->at("profile")).c_str());
    return kExitOk;
}

int remove(CommandContext& context, RpcClient& client, const std::string& name) {
    auto result = client.call(vpnsed::protocol::method::kProfilesRemove, {{"name", name}});
    if (!result)
        return fail(context, &client, result.error(), "profiles remove " + name);
    if (context.json) {
        print_json(*result);
        return kExitOk;
    }
    for (const auto& file : result->at("files"))
        std::printf("removed %s\n", file.get<std::string>().c_str());
    return kExitOk;
}

}  // namespace

int run_profiles(CommandContext& context) {
    const auto& args = context.args;
    if (args.size() != 2 || (args[0] != "show" && args[0] != "remove") || args[1].rfind('-', 0) == 0)
        return usage_error("profiles needs: show NAME | remove NAME");
    int exit_code = kExitOk;
    auto client = open_client(context, exit_code);
    if (!client)
        return exit_code;
    return args[0] == "show" ? show(context, *client, args[1]) : remove(context, *client, args[1]);
}

}  // namespace vpnsectl
