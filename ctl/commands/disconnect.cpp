// vpnsectl disconnect NAME | --all
#include <cstdio>

#include "commands/command.hpp"
#include "protocol/methods.hpp"

namespace vpnsectl {

int run_disconnect(CommandContext& context) {
    nlohmann::json params;
    std::string what = "disconnect";
    if (context.args.size() == 1 && context.args[0] == "--all") {
        params = {{"all", true}};
    } else if (context.args.size() == 1 && !context.args[0].empty() && context.args[0][0] != '-') {
        params = {{"name", context.args[0]}};
        what += " " + context.args[0];
    } else {
        return usage_error("disconnect needs a profile name or --all");
    }
    int exit_code = kExitOk;
    auto client = open_client(context, exit_code);
    if (!client)
        return exit_code;
    auto result = client->call(vpnsed::protocol::method::kTunnelsDisconnect, params);
    if (!result)
        return fail(context, &*client, result.error(), what);
    if (context.json) {
        print_json(*result);
    } else {
        const auto& names = result->at("disconnected");
        if (names.empty())
            std::printf("nothing was connected\n");
        for (const auto& name : names)
            std::printf("%s: disconnecting\n", name.get<std::string>().c_str());
    }
    return kExitOk;
}

}  // namespace vpnsectl
