#pragma once
// What the daemon's service API answers, as plain C++ values: the JSON-RPC adapter maps them to JSON
// (protocol/messages.hpp), the D-Bus and named-pipe adapters to their own forms, vpnsectl reads them back.
// No Asio, no libvpnse client: front ends include this without the engine behind it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vpnse/error.hpp"
#include "vpnse/log.hpp"
#include "vpnse/profile.hpp"
#include "vpnse/result.hpp"
#include "vpnse/tunnel_state.hpp"

namespace vpnsed::protocol {

// --- requests ---------------------------------------------------------------------------------------

struct ConnectParams {
    std::string name;
    bool wait = false;                  // answer when established or failed, not when started
    std::uint32_t timeout_ms = 60'000;  // with wait: give up (ErrorCode::timeout) after this long
};
struct DisconnectParams {
    std::string name;  // empty when all
    bool all = false;
};
// The limits every front door applies to ConnectParams (check_connect_params).
inline constexpr std::size_t kMaxProfileNameLength = 255;
inline constexpr std::uint32_t kMaxConnectTimeoutMs = 3'600'000;
inline constexpr std::uint32_t kMaxLogLines = 10'000;  // daemon.logs / GetLogs
// invalid_argument naming the field: an empty or over-long name, a timeout outside 1..kMaxConnectTimeoutMs.
vpnse::Status check_connect_params(const ConnectParams& params);

// profiles.import: a vpnse TOML profile or an official client's account file (.vpn), as text.
struct ImportParams {
    std::string content;
    std::string name;    // empty: the account file's name (required for TOML)
    std::string format;  // "toml", "vpn" or empty (detected)
    bool replace = false;
};

enum class Topic { state, stats, log, profiles };
struct SubscribeParams {
    std::vector<Topic> topics;  // absent: state, stats and log (profiles is asked for by name)
};
// --- answers ----------------------------------------------------------------------------------------

struct VersionInfo {
    std::string name;     // "vpnsed"
    std::string version;  // "0.1.0"
    int protocol = 0;     // kProtocolVersion
};

struct TunnelStatus {
    std::string name;
    vpnse::TunnelState state = vpnse::TunnelState::disconnected;
    std::optional<vpnse::Error> last_error;  // {code, name, message}
    std::string server;                      // "vpn.example.com:443"
    std::string hub;
    std::string user;
    std::string session_name;
    std::string server_version;      // "SoftEther VPN Server (64 bit) 5.1 build 9760", once connected
    std::string tls;                 // "TLSv1.2 TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384 (records: libcrypto)"
    std::string server_fingerprint;  // SHA-256 of the server certificate, hex, once connected
    std::string address;             // "192.168.30.10", empty until configured
    std::uint32_t prefix_length = 0;
    std::string gateway;
    std::vector<std::string> routes;  // "10.1.0.0/16 via 192.168.30.1"
    std::vector<std::string> dns;
    std::uint32_t connections = 0;
    std::uint32_t upload_connections = 0;    // of them, carrying client-to-server data
    std::uint32_t download_connections = 0;  // carrying server-to-client data
    bool encrypted = false;                  // as the server's welcome settled it
    bool compressed = false;
    bool half_connection = false;
    // UDP acceleration (session.udp_acceleration): which path carries data now, "udp" or "tcp".
    std::string data_path;
    bool udp_supported = false;  // the server accepted it
    std::uint32_t udp_version = 0;
    std::uint32_t udp_fallbacks = 0;  // times data went back to TCP
    std::uint64_t udp_datagrams_in = 0, udp_datagrams_out = 0, udp_frames_in = 0, udp_frames_out = 0;
    std::uint64_t udp_dropped = 0;
    std::uint64_t bytes_in = 0, bytes_out = 0, packets_in = 0, packets_out = 0;
    std::uint64_t uptime_s = 0;  // since established
    std::int64_t since = 0;      // Unix time (s) of the last state change
};

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

// A profile file that failed to load (profiles.list, profiles.reload).
struct ProfileLoadError {
    std::string file;
    std::string message;
};

struct LogLine {
    std::int64_t time_ms = 0;  // Unix time in milliseconds
    vpnse::LogLevel level = vpnse::LogLevel::info;
    std::string component;
    std::string message;
    std::vector<vpnse::LogField> fields;
};

struct ReloadResult {
    std::vector<std::string> added, removed, changed, unchanged;
    std::vector<ProfileLoadError> errors;
};

struct ImportResult {
    std::string name;                // the profile written
    std::vector<std::string> notes;  // what an account file had that the profile does not
};

struct RemoveResult {
    std::string name;                // the profile removed
    std::vector<std::string> files;  // deleted: the profile, then an imported certificate and key
};

struct ProfileList {
    std::vector<ProfileSummary> profiles;
    std::vector<ProfileLoadError> errors;  // files that did not load
};

// A profile with its secrets taken out: only whether each is configured.
struct ProfileView {
    vpnse::Profile settings;  // password, proxy_password, key_data empty, password_hash unset
    bool has_password = false;
    bool has_password_hash = false;
    bool has_proxy_password = false;
};
inline ProfileView without_secrets(vpnse::Profile profile) {
    ProfileView view{std::move(profile), false, false, false};
    view.has_password = !view.settings.password.empty();
    view.has_password_hash = view.settings.password_hash.has_value();
    view.has_proxy_password = !view.settings.proxy_password.empty();
    view.settings.password.clear();
    view.settings.password_hash.reset();
    view.settings.proxy_password.clear();
    view.settings.key_data.clear();
    return view;
}

// event.profiles: the profile set changed (a reload through any front door, or SIGHUP).
struct ProfilesChange {
    std::vector<std::string> added, removed, changed;
};

// event.state
struct StateChange {
    std::string name;
    vpnse::TunnelState state = vpnse::TunnelState::disconnected;
    std::optional<vpnse::Error> last_error;
    std::int64_t since = 0;  // Unix seconds
};

}  // namespace vpnsed::protocol
