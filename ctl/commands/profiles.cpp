// vpnsectl profiles show NAME: one profile's settings as the daemon loaded them (profiles.get). The daemon
// never sends secrets, only whether a password or hash is set (docs/ipc-jsonrpc.md).
#include <cstdio>

#include "commands/command.hpp"
#include "output/format.hpp"
#include "protocol/methods.hpp"

namespace vpnsectl {

int run_profiles(CommandContext& context) {
    if (context.args.size() != 2 || context.args[0] != "show" || context.args[1].rfind('-', 0) == 0)
        return usage_error("profiles needs: show NAME");
    const std::string& name = context.args[1];
    int exit_code = kExitOk;
    auto client = open_client(context, exit_code);
    if (!client)
        return exit_code;
    auto result = client->call(vpnsed::protocol::method::kProfilesGet, {{"name", name}});
    if (!result)
        return fail(context, &*client, result.error(), "profiles show " + name);
    if (context.json)
        print_json(*result);
    else
        std::printf("%s", profile_text(result->at("profile")).c_str());
    return kExitOk;
}

}  // namespace vpnsectl
