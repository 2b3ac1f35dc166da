// vpnsectl version: this tool's version and the daemon's.
#include <cstdio>

#include "commands/command.hpp"
#include "protocol/methods.hpp"

#ifndef VPNSE_VERSION
#define VPNSE_VERSION "0.0.0"
#endif

namespace vpnsectl {

int run_version(CommandContext& context) {
    if (!context.args.empty())
        return usage_error("version takes no arguments");
    int exit_code = kExitOk;
    auto client = open_client(context, exit_code);
    if (!client) {
        if (!context.json)
            std::printf("vpnsectl %s\n", VPNSE_VERSION);
        return exit_code;
    }
    auto result = client->call(vpnsed::protocol::method::kVersion);
    if (!result)
        return fail(context, &*client, result.error(), "version");
    if (context.json) {
        print_json({{"vpnsectl", VPNSE_VERSION}, {"daemon", *result}});
    } else {
        std::printf("vpnsectl %s\nvpnsed   %s (protocol %d)\n", VPNSE_VERSION,
                    result->value("version", std::string("?")).c_str(), result->value("protocol", 0));
    }
    return kExitOk;
}

}  // namespace vpnsectl
