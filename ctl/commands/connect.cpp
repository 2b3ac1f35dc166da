// vpnsectl connect NAME [--no-wait] [--timeout S]
#include <cstdio>
#include <cstdlib>

#include "commands/command.hpp"
#include "output/format.hpp"
#include "protocol/methods.hpp"

namespace vpnsectl {

int run_connect(CommandContext& context) {
    vpnsed::protocol::ConnectParams params;
    params.wait = true;
    params.timeout_ms = 60'000;
    for (std::size_t i = 0; i < context.args.size(); ++i) {
        const auto& arg = context.args[i];
        if (arg == "--no-wait") {
            params.wait = false;
        } else if (arg == "--timeout") {
            if (i + 1 >= context.args.size())
                return usage_error("--timeout needs a number of seconds");
            char* end = nullptr;
            const long seconds = std::strtol(context.args[++i].c_str(), &end, 10);
            if (*end != '\0' || seconds < 1 || seconds > 3600)
                return usage_error("--timeout must be 1 to 3600 seconds");
            params.timeout_ms = static_cast<std::uint32_t>(seconds * 1000);
        } else if (!arg.empty() && arg[0] == '-') {
            return usage_error("connect: unknown option " + arg);
        } else if (params.name.empty()) {
            params.name = arg;
        } else {
            return usage_error("connect takes one profile name");
        }
    }
    if (params.name.empty())
        return usage_error("connect needs a profile name");

    int exit_code = kExitOk;
    auto client = open_client(context, exit_code);
    if (!client)
        return exit_code;
    auto result =
        client->call(vpnsed::protocol::method::kTunnelsConnect, vpnsed::protocol::to_params(params));
    if (!result)
        return fail(context, &*client, result.error(), "connect " + params.name);
    if (context.json) {
        print_json(*result);
        return kExitOk;
    }
    const auto status = result->at("tunnel").get<vpnsed::protocol::TunnelStatus>();
    if (params.wait)
        std::printf("%s\n", status_line(status).c_str());
    else
        std::printf("%s: connecting in the background (vpnsectl status %s)\n", params.name.c_str(),
                    params.name.c_str());
    return kExitOk;
}

}  // namespace vpnsectl
