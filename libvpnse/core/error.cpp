#include "vpnse/error.hpp"

#include <array>

namespace vpnse {
namespace {

struct ErrorInfo {
    ErrorCode code;
    std::string_view name;
    std::string_view description;
};

constexpr std::array kErrors{
    ErrorInfo{ErrorCode::ok, "ok", "no error"},
    ErrorInfo{ErrorCode::connect_failed, "connect_failed", "could not connect to the VPN server"},
    ErrorInfo{ErrorCode::server_not_vpn, "server_not_vpn", "the server is not a SoftEther VPN server"},
    ErrorInfo{ErrorCode::disconnected, "disconnected", "the connection was closed"},
    ErrorInfo{ErrorCode::protocol_error, "protocol_error", "protocol error"},
    ErrorInfo{ErrorCode::authtype_not_supported, "authtype_not_supported",
              "the server does not support this authentication method"},
    ErrorInfo{ErrorCode::hub_not_found, "hub_not_found", "the virtual hub does not exist"},
    ErrorInfo{ErrorCode::auth_failed, "auth_failed", "authentication failed"},
    ErrorInfo{ErrorCode::hub_stopping, "hub_stopping", "the virtual hub is offline"},
    ErrorInfo{ErrorCode::session_removed, "session_removed", "the session was removed by the server"},
    ErrorInfo{ErrorCode::access_denied, "access_denied", "access denied by the server"},
    ErrorInfo{ErrorCode::session_timeout, "session_timeout", "the session timed out"},
    ErrorInfo{ErrorCode::invalid_protocol, "invalid_protocol", "the session does not use TCP"},
    ErrorInfo{ErrorCode::too_many_connections, "too_many_connections",
              "the session has too many TCP connections"},
    ErrorInfo{ErrorCode::hub_is_busy, "hub_is_busy", "the virtual hub has reached its session limit"},
    ErrorInfo{ErrorCode::too_many_user_sessions, "too_many_user_sessions",
              "this user has too many concurrent sessions"},
    ErrorInfo{ErrorCode::not_supported, "not_supported", "not supported"},
    ErrorInfo{ErrorCode::could_not_host_hub_on_farm, "could_not_host_hub_on_farm",
              "the server farm could not host the virtual hub"},
    ErrorInfo{ErrorCode::null_password_local_only, "null_password_local_only",
              "an empty password is only accepted from the server itself"},
    ErrorInfo{ErrorCode::too_many_users, "too_many_users", "the server has too many users"},
    ErrorInfo{ErrorCode::cert_not_trusted, "cert_not_trusted", "the server certificate is not trusted"},
    ErrorInfo{ErrorCode::version_invalid, "version_invalid", "the server requires a newer client"},
    ErrorInfo{ErrorCode::server_cant_accept, "server_cant_accept", "the server cannot accept connections"},
    ErrorInfo{ErrorCode::server_cert_expired, "server_cert_expired", "the server certificate has expired"},
    ErrorInfo{ErrorCode::monitor_mode_denied, "monitor_mode_denied", "monitor mode is not allowed"},
    ErrorInfo{ErrorCode::bridge_mode_denied, "bridge_mode_denied", "bridge/routing mode is not allowed"},
    ErrorInfo{ErrorCode::ip_address_denied, "ip_address_denied",
              "the server's access list denies this client address"},
    ErrorInfo{ErrorCode::branded_client_to_server, "branded_client_to_server",
              "the server only accepts a branded client"},
    ErrorInfo{ErrorCode::branded_client_from_server, "branded_client_from_server",
              "the server is not the branded server this client expects"},
    ErrorInfo{ErrorCode::auto_disconnected, "auto_disconnected",
              "the session reached its automatic disconnect time"},
    ErrorInfo{ErrorCode::client_id_required, "client_id_required", "the hub requires a client ID"},
    ErrorInfo{ErrorCode::hostname_mismatch, "hostname_mismatch",
              "the server certificate does not match the host name"},
    ErrorInfo{ErrorCode::invalid_argument, "invalid_argument", "invalid argument"},
    ErrorInfo{ErrorCode::config_invalid, "config_invalid", "invalid configuration"},
    ErrorInfo{ErrorCode::malformed_input, "malformed_input", "malformed input"},
    ErrorInfo{ErrorCode::limit_exceeded, "limit_exceeded", "a size or count limit was exceeded"},
    ErrorInfo{ErrorCode::tls_failed, "tls_failed", "TLS failure"},
    ErrorInfo{ErrorCode::cert_pin_mismatch, "cert_pin_mismatch",
              "the server certificate does not match the pinned fingerprint"},
    ErrorInfo{ErrorCode::timeout, "timeout", "timed out"},
    ErrorInfo{ErrorCode::cancelled, "cancelled", "cancelled"},
    ErrorInfo{ErrorCode::not_found, "not_found", "not found"},
    ErrorInfo{ErrorCode::already_exists, "already_exists", "already exists"},
    ErrorInfo{ErrorCode::permission_denied, "permission_denied", "permission denied"},
    ErrorInfo{ErrorCode::io_error, "io_error", "input/output error"},
    ErrorInfo{ErrorCode::internal, "internal", "internal error"},
    ErrorInfo{ErrorCode::not_connected, "not_connected", "not connected"},
    ErrorInfo{ErrorCode::server_error, "server_error", "the server reported an unknown error"},
    ErrorInfo{ErrorCode::resolve_failed, "resolve_failed", "could not resolve the server name"},
    ErrorInfo{ErrorCode::invalid_state, "invalid_state", "not possible in the current state"},
};

const ErrorInfo* find(ErrorCode code) noexcept {
    for (const auto& info : kErrors) {
        if (info.code == code) {
            return &info;
        }
    }
    return nullptr;
}

}  // namespace

std::string_view error_code_name(ErrorCode code) noexcept {
    const auto* info = find(code);
    return info ? info->name : "unknown";
}

std::string_view error_code_description(ErrorCode code) noexcept {
    const auto* info = find(code);
    return info ? info->description : "unknown error";
}

ErrorCode error_code_from_softether(std::uint32_t server_code) noexcept {
    if (server_code == 0) {
        return ErrorCode::ok;
    }
    if (server_code < 1000) {
        const auto candidate = static_cast<ErrorCode>(server_code);
        if (find(candidate) != nullptr) {
            return candidate;
        }
    }
    return ErrorCode::server_error;
}

std::string Error::to_string() const {
    std::string out(error_code_name(code_));
    if (!message_.empty()) {
        out += ": ";
        out += message_;
    }
    return out;
}

}  // namespace vpnse
