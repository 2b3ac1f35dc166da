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

// Every code as X(name, value, description), the one list of them: the enum below, error_code_name()
// and error_code_description() expand it. A new code also goes into vpnse.h as VPNSE_E_<NAME>;
// tests/ffi/header_check.cpp fails until it does (and on any define error.hpp does not have).
#define VPNSE_ERROR_CODES(X)                                                                       \
    X(ok, 0, "no error")                                                                           \
    /* SoftEther ERR_* numbers (softether-protocol.md 9.4). */                                     \
    X(connect_failed, 1, "could not connect to the VPN server")                                    \
    X(server_not_vpn, 2, "the server is not a SoftEther VPN server")                               \
    X(disconnected, 3, "the connection was closed")                                                \
    X(protocol_error, 4, "protocol error")                                                         \
    X(authtype_not_supported, 7, "the server does not support this authentication method")         \
    X(hub_not_found, 8, "the virtual hub does not exist")                                          \
    X(auth_failed, 9, "authentication failed")                                                     \
    X(hub_stopping, 10, "the virtual hub is offline")                                              \
    X(session_removed, 11, "the session was removed by the server")                                \
    X(access_denied, 12, "access denied by the server")                                            \
    X(session_timeout, 13, "the session timed out")                                                \
    X(invalid_protocol, 14, "the session does not use TCP")                                        \
    X(too_many_connections, 15, "the session has too many TCP connections")                        \
    X(hub_is_busy, 16, "the virtual hub has reached its session limit")                            \
    X(too_many_user_sessions, 20, "this user has too many concurrent sessions")                    \
    /* By the server (its ERR_NOT_SUPPORTED) or by vpnse (e.g. server farms). */                   \
    X(not_supported, 33, "not supported")                                                          \
    X(could_not_host_hub_on_farm, 49, "the server farm could not host the virtual hub")            \
    X(null_password_local_only, 51, "an empty password is only accepted from the server itself")   \
    X(too_many_users, 63, "the server has too many users")                                         \
    X(cert_not_trusted, 85, "the server certificate is not trusted")                               \
    X(version_invalid, 87, "the server requires a newer client")                                   \
    X(server_cant_accept, 105, "the server cannot accept connections")                             \
    X(server_cert_expired, 106, "the server certificate has expired")                              \
    X(monitor_mode_denied, 107, "monitor mode is not allowed")                                     \
    X(bridge_mode_denied, 108, "bridge/routing mode is not allowed")                               \
    X(ip_address_denied, 109, "the server's access list denies this client address")               \
    X(branded_client_to_server, 124, "the server only accepts a branded client")                   \
    X(branded_client_from_server, 125, "the server is not the branded server this client expects") \
    X(auto_disconnected, 126, "the session reached its automatic disconnect time")                 \
    X(client_id_required, 127, "the hub requires a client ID")                                     \
    X(hostname_mismatch, 149, "the server certificate does not match the host name")               \
    /* vpnse's own codes. */                                                                       \
    /* A caller passed something unusable (null handle, bad value). */                             \
    X(invalid_argument, 1000, "invalid argument")                                                  \
    /* A profile or daemon config is wrong; the message names file and key. */                     \
    X(config_invalid, 1001, "invalid configuration")                                               \
    /* Untrusted bytes did not parse (server, socket client). */                                   \
    X(malformed_input, 1002, "malformed input")                                                    \
    X(limit_exceeded, 1003, "a size or count limit was exceeded")                                  \
    X(tls_failed, 1004, "TLS failure") /* handshake or record layer */                             \
    X(cert_pin_mismatch, 1005, "the server certificate does not match the pinned fingerprint")     \
    X(timeout, 1006, "timed out")                                                                  \
    X(cancelled, 1007, "cancelled")                                                                \
    X(not_found, 1008, "not found")                                                                \
    X(already_exists, 1009, "already exists")                                                      \
    X(permission_denied, 1010, "permission denied")                                                \
    X(io_error, 1011, "input/output error")                                                        \
    X(internal, 1012, "internal error")                                                            \
    X(not_connected, 1013, "not connected")                                                        \
    /* A SoftEther error number vpnse does not know; the message carries it. */                    \
    X(server_error, 1014, "the server reported an unknown error")                                  \
    X(resolve_failed, 1015, "could not resolve the server name")                                   \
    X(invalid_state, 1016, "not possible in the current state")                                    \
    /* 1017 is retired (it was `unsupported`, the same idea as not_supported = 33); never reuse it. */

enum class ErrorCode : int {
#define VPNSE_ERROR_ENUMERATOR(name, value, description) name = value,
    VPNSE_ERROR_CODES(VPNSE_ERROR_ENUMERATOR)
#undef VPNSE_ERROR_ENUMERATOR
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
