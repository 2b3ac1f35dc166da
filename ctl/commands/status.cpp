// vpnsectl status [NAME]: with a name, the tunnel in detail; without, one line per active tunnel.
#include <cstdio>

#include "commands/command.hpp"
#include "output/format.hpp"
#include "protocol/methods.hpp"

namespace vpnsectl {

int run_status(CommandContext& context) {
    if (context.args.size() > 1 || (!context.args.empty() && context.args[0].rfind('-', 0) == 0))
        return usage_error("status takes at most one profile name");
    nlohmann::json params;
    if (!context.args.empty())
        params = {{"name", context.args[0]}};
    int exit_code = kExitOk;
    auto client = open_client(context, exit_code);
    if (!client)
        return exit_code;
    auto result = client->call(vpnsed::protocol::method::kTunnelsStatus, params);
    if (!result)
        return fail(context, &*client, result.error(), "status");
    if (context.json) {
        print_json(*result);
        return kExitOk;
    }
    int shown = 0;
    for (const auto& item : result->at("tunnels")) {
        const auto status = item.get<vpnsed::protocol::TunnelStatus>();
        if (!context.args.empty()) {
            std::printf("%s", status_detail(status).c_str());
        } else if (status.state != vpnse::TunnelState::disconnected || status.last_error) {
            std::printf("%s\n", status_line(status).c_str());
            ++shown;
        }
    }
    if (context.args.empty() && shown == 0)
        std::printf("no tunnels are up (vpnsectl list shows the profiles)\n");
    return kExitOk;
}

}  // namespace vpnsectl
