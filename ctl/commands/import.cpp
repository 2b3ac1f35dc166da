// vpnsectl import FILE [--name NAME] [--replace]: a vpnse TOML profile or an official client's account file
// (.vpn) becomes a profile of the daemon. The file is read here, with the user's own access, and sent as
// text: the daemon never opens a path a client names.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands/command.hpp"
#include "protocol/messages.hpp"
#include "protocol/methods.hpp"

namespace vpnsectl {

int run_import(CommandContext& context) {
    vpnsed::protocol::ImportParams params;
    std::string file;
    for (std::size_t i = 0; i < context.args.size(); ++i) {
        const auto& arg = context.args[i];
        if (arg == "--name" && i + 1 < context.args.size())
            params.name = context.args[++i];
        else if (arg == "--replace")
            params.replace = true;
        else if (!arg.empty() && arg[0] != '-' && file.empty())
            file = arg;
        else
            return usage_error("import: unknown argument " + arg);
    }
    if (file.empty())
        return usage_error(
            "import: which file? (vpnsectl import FILE.vpn|FILE.toml [--name NAME] [--replace])");
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    if (!in || !(text << in.rdbuf())) {
        std::fprintf(stderr, "vpnsectl: import: cannot read %s\n", file.c_str());
        return kExitFailure;
    }
    params.content = text.str();
    const auto path = std::filesystem::path(file);
    // A TOML profile is named after its file, as in the profile directory; an account file names itself.
    if (params.name.empty() && path.extension() == ".toml")
        params.name = path.stem().string();
    int exit_code = kExitOk;
    auto client = open_client(context, exit_code);
    if (!client)
        return exit_code;
    auto result =
        client->call(vpnsed::protocol::method::kProfilesImport, vpnsed::protocol::to_params(params));
    if (!result)
        return fail(context, &*client, result.error(), "import " + file);
    if (context.json) {
        print_json(*result);
        return kExitOk;
    }
    std::printf("imported %s as profile %s\n", file.c_str(), result->at("name").get<std::string>().c_str());
    for (const auto& note : result->at("notes"))
        std::printf("  note: %s\n", note.get<std::string>().c_str());
    return kExitOk;
}

}  // namespace vpnsectl
