#pragma once
// Method and notification names of the control protocol (docs/ipc-jsonrpc.md lists params, results and
// errors for each). Which of them need a privileged caller is api/calls.hpp's table, nowhere else.
#include <string_view>

namespace vpnsed::protocol::method {

inline constexpr std::string_view kVersion = "version";
inline constexpr std::string_view kProfilesList = "profiles.list";
inline constexpr std::string_view kProfilesGet = "profiles.get";
inline constexpr std::string_view kProfilesReload = "profiles.reload";
inline constexpr std::string_view kProfilesImport = "profiles.import";
inline constexpr std::string_view kProfilesRemove = "profiles.remove";
inline constexpr std::string_view kTunnelsConnect = "tunnels.connect";
inline constexpr std::string_view kTunnelsDisconnect = "tunnels.disconnect";
inline constexpr std::string_view kTunnelsStatus = "tunnels.status";
inline constexpr std::string_view kTunnelsList = "tunnels.list";
inline constexpr std::string_view kEventsSubscribe = "events.subscribe";
inline constexpr std::string_view kDaemonLogs = "daemon.logs";

// Notifications sent to subscribers.
inline constexpr std::string_view kEventState = "event.state";
inline constexpr std::string_view kEventStats = "event.stats";
inline constexpr std::string_view kEventLog = "event.log";
inline constexpr std::string_view kEventProfiles = "event.profiles";

}  // namespace vpnsed::protocol::method

namespace vpnsed::protocol {
// Bumped when a method changes incompatibly; additions keep it.
inline constexpr int kProtocolVersion = 1;
}  // namespace vpnsed::protocol
