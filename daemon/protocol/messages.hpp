#pragma once
// The JSON form of every method's params and results (docs/ipc-jsonrpc.md). Params are parsed strictly by
// parse_*() (ErrorCode::invalid_argument naming the param, sent as -32602); the results and notifications
// of protocol/schema.hpp convert with nlohmann's to_json/from_json so vpnsed and vpnsectl share one
// definition.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/schema.hpp"
#include "vpnse/result.hpp"

namespace vpnsed::protocol {

using nlohmann::json;

// Wire names of tunnel states: "disconnected", "connecting", "authenticating", "configuring",
// "established", "reconnecting".
std::string_view state_to_wire(vpnse::TunnelState state) noexcept;
std::optional<vpnse::TunnelState> state_from_wire(std::string_view name) noexcept;

// --- params -------------------------------------------------------------------------------------------

vpnse::Result<ConnectParams> parse_connect_params(const json& params);
json to_params(const ConnectParams& params);

vpnse::Result<DisconnectParams> parse_disconnect_params(const json& params);

struct NameParams {
    std::optional<std::string> name;
};
// tunnels.status (name optional) and profiles.get (name required).
vpnse::Result<NameParams> parse_name_params(const json& params, bool required);

vpnse::Result<SubscribeParams> parse_subscribe_params(const json& params);
std::string_view topic_name(Topic topic) noexcept;

struct LogsParams {
    std::uint32_t lines = 100;  // 1..10000
};
vpnse::Result<LogsParams> parse_logs_params(const json& params);

vpnse::Status parse_no_params(const json& params);

// --- results and notifications ------------------------------------------------------------------------

void to_json(json& out, const TunnelStatus& status);
void from_json(const json& in, TunnelStatus& status);
void to_json(json& out, const ProfileSummary& summary);
void from_json(const json& in, ProfileSummary& summary);
void to_json(json& out, const ProfileLoadError& error);
void from_json(const json& in, ProfileLoadError& error);
void to_json(json& out, const LogLine& line);
void from_json(const json& in, LogLine& line);
void to_json(json& out, const VersionInfo& info);
void to_json(json& out, const ReloadResult& result);
void to_json(json& out, const ProfileList& list);
void to_json(json& out, const StateChange& change);
void to_json(json& out, const ProfilesChange& change);
void to_json(json& out, const ImportResult& result);
void to_json(json& out, const RemoveResult& result);
vpnse::Result<ImportParams> parse_import_params(const json& params);
json to_params(const ImportParams& params);

json error_object(const vpnse::Error& error);  // {code, name, message}
vpnse::Error error_from_object(const json& object);

// profiles.get: every setting except secrets (auth.password and auth.password_hash become booleans).
json profile_to_json(const ProfileView& profile);

}  // namespace vpnsed::protocol
