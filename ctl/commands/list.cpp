// vpnsectl list: every profile with its state, then profiles that failed to load.
#include <cstdio>

#include "commands/command.hpp"
#include "protocol/messages.hpp"
#include "protocol/methods.hpp"

namespace vpnsectl {

int run_list(CommandContext& context) {
    if (!context.args.empty())
        return usage_error("list takes no arguments");
    int exit_code = kExitOk;
    auto client = open_client(context, exit_code);
    if (!client)
        return exit_code;
    auto result = client->call(vpnsed::protocol::method::kProfilesList);
    if (!result)
        return fail(context, &*client, result.error(), "list");
    if (context.json) {
        print_json(*result);
        return kExitOk;
    }
    const auto& profiles = result->at("profiles");
    if (profiles.empty())
        std::printf("no profiles\n");
    for (const auto& item : profiles) {
        const auto p = item.get<vpnsed::protocol::ProfileSummary>();
        std::printf("%-16s %-14s %s@%s:%u/%s%s\n", p.name.c_str(),
                    std::string(vpnsed::protocol::state_to_wire(p.state)).c_str(), p.user.c_str(),
                    p.host.c_str(), p.port, p.hub.c_str(), p.autoconnect ? "  (autoconnect)" : "");
    }
    for (const auto& item : result->at("errors"))
        std::printf("not loaded: %s\n", item.value("message", std::string()).c_str());
    return kExitOk;
}

}  // namespace vpnsectl
