// vpnsectl logs [-n N]: the daemon's recent log lines.
#include <cstdio>
#include <cstdlib>

#include "commands/command.hpp"
#include "output/format.hpp"
#include "protocol/methods.hpp"

namespace vpnsectl {

int run_logs(CommandContext& context) {
    long lines = 100;
    for (std::size_t i = 0; i < context.args.size(); ++i) {
        if ((context.args[i] == "-n" || context.args[i] == "--lines") && i + 1 < context.args.size()) {
            char* end = nullptr;
            lines = std::strtol(context.args[++i].c_str(), &end, 10);
            if (*end != '\0' || lines < 1 || lines > 10000)
                return usage_error("-n must be 1 to 10000");
        } else {
            return usage_error("logs: unknown argument " + context.args[i]);
        }
    }
    int exit_code = kExitOk;
    auto client = open_client(context, exit_code);
    if (!client)
        return exit_code;
    auto result = client->call(vpnsed::protocol::method::kDaemonLogs, {{"lines", lines}});
    if (!result)
        return fail(context, &*client, result.error(), "logs");
    if (context.json) {
        print_json(*result);
        return kExitOk;
    }
    for (const auto& item : result->at("lines"))
        std::printf("%s\n", log_line(item.get<vpnsed::protocol::LogLine>()).c_str());
    return kExitOk;
}

}  // namespace vpnsectl
