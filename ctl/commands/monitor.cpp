// vpnsectl monitor: live state, stats and log events until interrupted (Ctrl-C).
#include <cstdio>

#include "commands/command.hpp"
#include "output/format.hpp"
#include "protocol/methods.hpp"

namespace vpnsectl {

int run_monitor(CommandContext& context) {
    nlohmann::json topics = nlohmann::json::array({"state", "stats", "log"});
    for (const auto& arg : context.args) {
        if (arg == "--no-stats")
            topics = nlohmann::json::array({"state", "log"});
        else
            return usage_error("monitor: unknown argument " + arg);
    }
    int exit_code = kExitOk;
    auto client = open_client(context, exit_code);
    if (!client)
        return exit_code;
    auto subscribed = client->call(vpnsed::protocol::method::kEventsSubscribe, {{"topics", topics}});
    if (!subscribed)
        return fail(context, &*client, subscribed.error(), "monitor");
    while (true) {
        auto notification = client->next_notification();
        if (!notification)
            return fail(context, &*client, notification.error(), "monitor");
        if (context.json)
            std::printf("%s\n",
                        notification->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        else
            std::printf("%s\n", event_line(*notification).c_str());
        std::fflush(stdout);
    }
}

}  // namespace vpnsectl
