#pragma once
// The one error vocabulary of vpnse. Codes are stable: the C API returns them as integers and the
// JSON-RPC interface sends them as error data, so a value never changes meaning once released.
//
// Codes 1..999 are SoftEther's own ERR_* numbers (softether-protocol.md 9.4): a server error maps to
// the code with the same number. Codes from 1000 up are vpnse's own.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace vpnse {

enum class ErrorCode : int {
    ok = 0,
    // SoftEther ERR_* numbers (softether-protocol.md 9.4).
    connect_failed = 1,
    server_not_vpn = 2,
    disconnected = 3,
    protocol_error = 4,
    authtype_not_supported = 7,
    hub_not_found = 8,
    auth_failed = 9,
    hub_stopping = 10,
    session_removed = 11,
    access_denied = 12,
    session_timeout = 13,
    invalid_protocol = 14,
    too_many_connections = 15,
    hub_is_busy = 16,
    too_many_user_sessions = 20,
    not_supported = 33,  // by the server (its ERR_NOT_SUPPORTED) or by vpnse (e.g. server farms)
    could_not_host_hub_on_farm = 49,
    null_password_local_only = 51,
    too_many_users = 63,
    cert_not_trusted = 85,
    version_invalid = 87,
    server_cant_accept = 105,
    server_cert_expired = 106,
    monitor_mode_denied = 107,
    bridge_mode_denied = 108,
    ip_address_denied = 109,
    branded_client_to_server = 124,
    branded_client_from_server = 125,
    auto_disconnected = 126,
    client_id_required = 127,
    hostname_mismatch = 149,
    // vpnse's own codes.
    invalid_argument = 1000,   // a caller passed something unusable (null handle, bad value)
    config_invalid = 1001,     // a profile or daemon config is wrong; the message names file and key
    malformed_input = 1002,    // untrusted bytes did not parse (server, socket client)
    limit_exceeded = 1003,     // a hard size/count limit was hit
    tls_failed = 1004,         // TLS handshake or record layer failure
    cert_pin_mismatch = 1005,  // server certificate does not match the pinned fingerprint
    timeout = 1006,
    cancelled = 1007,
    not_found = 1008,
    already_exists = 1009,
    permission_denied = 1010,
    io_error = 1011,
    internal = 1012,
    not_connected = 1013,
    server_error = 1014,  // a SoftEther error number vpnse does not know; the message carries it
    resolve_failed = 1015,
    invalid_state = 1016,
    // 1017 is retired (it was `unsupported`, the same idea as not_supported = 33); never reuse it.
};

// Stable snake_case identifier, e.g. "auth_failed". Used in JSON-RPC and logs.
std::string_view error_code_name(ErrorCode code) noexcept;
// A short human description, e.g. "authentication failed".
std::string_view error_code_description(ErrorCode code) noexcept;
// Maps a SoftEther server error number (the PACK "error" element) to a code; unknown numbers give
// ErrorCode::server_error.
ErrorCode error_code_from_softether(std::uint32_t server_code) noexcept;

class Error {
  public:
    Error() = default;
    Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
    explicit Error(ErrorCode code) : code_(code), message_(error_code_description(code)) {}

    ErrorCode code() const noexcept { return code_; }
    const std::string& message() const noexcept { return message_; }
    explicit operator bool() const noexcept { return code_ != ErrorCode::ok; }
    // "auth_failed: authentication failed for user bob on hub ACME"
    std::string to_string() const;

    friend bool operator==(const Error&, const Error&) = default;

  private:
    ErrorCode code_ = ErrorCode::ok;
    std::string message_;
};

}  // namespace vpnse
