// vpnsectl reload: the daemon re-reads its profile directory (profiles.reload, as SIGHUP does).
#include <cstdio>

#include "commands/command.hpp"
#include "protocol/methods.hpp"

namespace vpnsectl {

namespace {

// "added: a, b" for a non-empty list of names.
void print_names(const char* label, const nlohmann::json& names) {
    if (names.empty())
        return;
    std::string joined;
    for (const auto& name : names)
        joined += (joined.empty() ? "" : ", ") + name.get<std::string>();
    std::printf("%-10s %s\n", label, joined.c_str());
}

}  // namespace

int run_reload(CommandContext& context) {
    if (!context.args.empty())
        return usage_error("reload takes no arguments");
    int exit_code = kExitOk;
    auto client = open_client(context, exit_code);
    if (!client)
        return exit_code;
    auto result = client->call(vpnsed::protocol::method::kProfilesReload);
    if (!result)
        return fail(context, &*client, result.error(), "reload");
    if (context.json) {
        print_json(*result);
        return kExitOk;
    }
    print_names("added", result->at("added"));
    print_names("changed", result->at("changed"));
    print_names("removed", result->at("removed"));
    std::printf("%-10s %zu profiles\n", "unchanged", result->at("unchanged").size());
    // A file that fails to parse keeps its previous version in the daemon; say so, it is not fatal.
    for (const auto& item : result->at("errors"))
        std::printf("not loaded: %s\n", item.value("message", std::string()).c_str());
    return kExitOk;
}

}  // namespace vpnsectl
