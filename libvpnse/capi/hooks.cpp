// The hooks apps set on a client (vpnse.h "Hooks for apps"): socket protection, network ready and
// periodic statistics. Everything here runs on the client's thread.
#include <vector>

#include "capi/handles.hpp"

namespace vpnse::capi {
namespace {

constexpr std::chrono::milliseconds kMinStatsInterval{100};

void arm_stats_timer(vpnse_client* client) {
    auto& hooks = client->hooks;
    if (hooks.on_stats == nullptr || !hooks.stats_timer)
        return;
    hooks.stats_timer->expires_after(hooks.stats_interval);
    hooks.stats_timer->async_wait([client](const asio::error_code& ec) {
        if (ec || client->hooks.on_stats == nullptr)
            return;
        const auto stats = to_c_stats(client->client ? client->client->stats() : ClientStats{});
        client->hooks.on_stats(client->hooks.stats_user, &stats);
        // The callback may have replaced the hook or freed the client (which clears the hooks).
        arm_stats_timer(client);
    });
}

}  // namespace

std::function<Status(NativeSocket)> protect_hook(vpnse_client* client) {
    return [client](NativeSocket socket) -> Status {
        if (client->hooks.protect == nullptr)
            return {};
        const int result = client->hooks.protect(client->hooks.protect_user, socket);
        if (result == 0)
            return {};
        return Error(ErrorCode::permission_denied, "the app's protect callback refused socket " +
                                                       std::to_string(socket) + " (returned " +
                                                       std::to_string(result) + ")");
    };
}

void report_network(vpnse_client* client, const TunnelNetwork& network) {
    if (client->hooks.on_network == nullptr)
        return;
    vpnse_network c_network;
    to_c_network(network, &c_network);
    std::vector<vpnse_route> routes(network.routes.size());
    for (std::size_t i = 0; i < routes.size(); ++i)
        to_c_route(network.routes[i], &routes[i]);
    client->hooks.on_network(client->hooks.network_user, &c_network, routes.data(), routes.size());
}

}  // namespace vpnse::capi

using vpnse::capi::is_live_client;
using vpnse::capi::run_on_thread;

extern "C" {

int vpnse_client_set_protect_callback(vpnse_client* client, vpnse_protect_callback protect, void* user) {
    if (!is_live_client(client))
        return VPNSE_E_INVALID_ARGUMENT;
    run_on_thread(client, [&] {
        client->hooks.protect = protect;
        client->hooks.protect_user = user;
    });
    return VPNSE_OK;
}

int vpnse_client_set_network_callback(vpnse_client* client, vpnse_network_callback on_network, void* user) {
    if (!is_live_client(client))
        return VPNSE_E_INVALID_ARGUMENT;
    run_on_thread(client, [&] {
        client->hooks.on_network = on_network;
        client->hooks.network_user = user;
    });
    return VPNSE_OK;
}

int vpnse_client_set_stats_callback(vpnse_client* client, vpnse_stats_callback on_stats,
                                    std::uint32_t interval_ms, void* user) {
    if (!is_live_client(client) ||
        (on_stats != nullptr && std::chrono::milliseconds(interval_ms) < vpnse::capi::kMinStatsInterval))
        return VPNSE_E_INVALID_ARGUMENT;
    run_on_thread(client, [&] {
        auto& hooks = client->hooks;
        hooks.stats_timer.reset();  // cancels a pending report of the previous hook
        hooks.on_stats = on_stats;
        hooks.stats_user = user;
        hooks.stats_interval = std::chrono::milliseconds(interval_ms);
        if (on_stats != nullptr) {
            hooks.stats_timer.emplace(client->io);
            vpnse::capi::arm_stats_timer(client);
        }
    });
    return VPNSE_OK;
}

}  // extern "C"
