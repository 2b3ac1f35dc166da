#pragma once
// Every call of the service API with its name and whether it changes daemon state. This table is the one
// place that decides which calls need a privileged caller; the API checks it, adapters never do.
#include <array>
#include <string_view>

#include "api/authority.hpp"
#include "protocol/methods.hpp"

namespace vpnsed::api {

enum class Call {
    version,
    profiles_list,
    profiles_get,
    profiles_reload,
    profiles_import,
    profiles_remove,
    tunnels_connect,
    tunnels_disconnect,
    tunnels_status,
    tunnels_list,
    events_subscribe,
    daemon_logs,
};

struct CallInfo {
    Call call;
    std::string_view name;  // as the JSON-RPC method, and in messages of every front door
    // Action::none: a reading call, anyone may make it. Otherwise the call changes daemon state: allowed
    // to root and the service group, and to whom the policy (api/authority.hpp) grants the action.
    Action action;
};

namespace method = protocol::method;
inline constexpr std::array kCalls{
    CallInfo{Call::version, method::kVersion, Action::none},
    CallInfo{Call::profiles_list, method::kProfilesList, Action::none},
    CallInfo{Call::profiles_get, method::kProfilesGet, Action::none},
    CallInfo{Call::profiles_reload, method::kProfilesReload, Action::manage_profiles},
    CallInfo{Call::profiles_import, method::kProfilesImport, Action::manage_profiles},
    CallInfo{Call::profiles_remove, method::kProfilesRemove, Action::manage_profiles},
    CallInfo{Call::tunnels_connect, method::kTunnelsConnect, Action::connect},
    CallInfo{Call::tunnels_disconnect, method::kTunnelsDisconnect, Action::connect},
    CallInfo{Call::tunnels_status, method::kTunnelsStatus, Action::none},
    CallInfo{Call::tunnels_list, method::kTunnelsList, Action::none},
    CallInfo{Call::events_subscribe, method::kEventsSubscribe, Action::none},
    CallInfo{Call::daemon_logs, method::kDaemonLogs, Action::none},
};

constexpr const CallInfo& call_info(Call call) {
    return kCalls[static_cast<std::size_t>(call)];
}
constexpr bool is_mutating(Call call) {
    return call_info(call).action != Action::none;
}

// The table is indexed by the enum: keep them in the same order.
static_assert([] {
    for (std::size_t i = 0; i < kCalls.size(); ++i)
        if (static_cast<std::size_t>(kCalls[i].call) != i)
            return false;
    return true;
}());

}  // namespace vpnsed::api
