#include <cstdio>

#include "commands/command.hpp"
#include "protocol/messages.hpp"

namespace vpnsectl {

std::optional<RpcClient> open_client(const CommandContext& context, int& exit_code) {
    auto client = RpcClient::connect(context.socket_path);
    if (!client) {
        exit_code = fail(context, nullptr, client.error(), "");
        return std::nullopt;
    }
    return std::move(client).value();
}

int fail(const CommandContext& context, const RpcClient* client, const vpnse::Error& error,
         std::string_view what) {
    int code = kExitFailure;
    if (!client || client->transport_failed())
        code = kExitUnreachable;
    else if (error.code() == vpnse::ErrorCode::permission_denied)
        code = kExitDenied;
    if (context.json) {
        print_json({{"error", vpnsed::protocol::error_object(error)}});
    } else if (what.empty()) {
        std::fprintf(stderr, "vpnsectl: %s\n", error.message().c_str());
    } else {
        std::fprintf(stderr, "vpnsectl: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
                     error.message().c_str());
    }
    return code;
}

int usage_error(std::string_view message) {
    std::fprintf(stderr, "vpnsectl: %.*s (see vpnsectl --help)\n", static_cast<int>(message.size()),
                 message.data());
    return kExitUsage;
}

void print_json(const nlohmann::json& value) {
    std::printf("%s\n", value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

}  // namespace vpnsectl
