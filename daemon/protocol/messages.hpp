#pragma once
// Params and results of every method (docs/ipc-jsonrpc.md). Params are parsed strictly by parse_*()
// (ErrorCode::invalid_argument naming the param, sent as -32602); results and notifications convert with
// nlohmann's to_json/from_json so vpnsed and vpnsectl share one definition.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vpnse/client.hpp"
#include "vpnse/log.hpp"
#include "vpnse/profile.hpp"
#include "vpnse/result.hpp"

namespace vpnsed::protocol {

using nlohmann::json;

// Wire names of tunnel states: "disconnected", "connecting", "authenticating", "configuring",
// "established", "reconnecting".
std::string_view state_to_wire(vpnse::TunnelState state) noexcept;
std::optional<vpnse::TunnelState> state_from_wire(std::string_view name) noexcept;

// --- params -------------------------------------------------------------------------------------------

struct ConnectParams {
    std::string name;
    bool wait = false;                  // answer when established or failed, not when started
    std::uint32_t timeout_ms = 60'000;  // with wait: give up (ErrorCode::timeout) after this long
};
vpnse::Result<ConnectParams> parse_connect_params(const json& params);
json to_params(const ConnectParams& params);

struct DisconnectParams {
    std::string name;  // empty when all
    bool all = false;
};
vpnse::Result<DisconnectParams> parse_disconnect_params(const json& params);

struct NameParams {
    std::optional<std::string> name;
};
// tunnels.status (name optional) and profiles.get (name required).
vpnse::Result<NameParams> parse_name_params(const json& params, bool required);

enum class Topic { state, stats, log };
struct SubscribeParams {
    std::vector<Topic> topics;  // absent: all three
};
vpnse::Result<SubscribeParams> parse_subscribe_params(const json& params);
std::string_view topic_name(Topic topic) noexcept;

struct LogsParams {
    std::uint32_t lines = 100;  // 1..10000
};
vpnse::Result<LogsParams> parse_logs_params(const json& params);

vpnse::Status parse_no_params(const json& params);

// --- results and notifications ------------------------------------------------------------------------

struct TunnelStatus {
    std::string name;
    vpnse::TunnelState state = vpnse::TunnelState::disconnected;
    std::optional<vpnse::Error> last_error;  // {code, name, message}
    std::string server;                      // "vpn.example.com:443"
    std::string hub;
    std::string user;
    std::string session_name;
    std::string server_version;  // "SoftEther VPN Server (64 bit) 5.1 build 9760", once connected
    std::string tls;             // "TLSv1.2 TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384 (records: libcrypto)"
    std::string address;         // "192.168.30.10", empty until configured
    std::uint32_t prefix_length = 0;
    std::string gateway;
    std::vector<std::string> routes;  // "10.1.0.0/16 via 192.168.30.1"
    std::vector<std::string> dns;
    std::uint32_t connections = 0;
    std::uint64_t bytes_in = 0, bytes_out = 0, packets_in = 0, packets_out = 0;
    std::uint64_t uptime_s = 0;  // since established
    std::int64_t since = 0;      // Unix time (s) of the last state change
};
void to_json(json& out, const TunnelStatus& status);
void from_json(const json& in, TunnelStatus& status);

// One entry of tunnels.list / profiles.list.
struct ProfileSummary {
    std::string name;
    std::string host;
    std::uint32_t port = 0;
    std::string hub;
    std::string user;
    bool autoconnect = false;
    vpnse::TunnelState state = vpnse::TunnelState::disconnected;
};
void to_json(json& out, const ProfileSummary& summary);
void from_json(const json& in, ProfileSummary& summary);

// A profile file that failed to load (profiles.list, profiles.reload).
struct ProfileLoadError {
    std::string file;
    std::string message;
};
void to_json(json& out, const ProfileLoadError& error);
void from_json(const json& in, ProfileLoadError& error);

struct LogLine {
    std::int64_t time_ms = 0;  // Unix time in milliseconds
    vpnse::LogLevel level = vpnse::LogLevel::info;
    std::string component;
    std::string message;
    std::vector<vpnse::LogField> fields;
};
void to_json(json& out, const LogLine& line);
void from_json(const json& in, LogLine& line);

json error_object(const vpnse::Error& error);  // {code, name, message}
vpnse::Error error_from_object(const json& object);

// profiles.get: every setting except secrets (auth.password and auth.password_hash become booleans).
json profile_to_json(const vpnse::Profile& profile);

}  // namespace vpnsed::protocol
