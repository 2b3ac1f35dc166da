#pragma once
// JSON-RPC 2.0 (https://www.jsonrpc.org/specification) envelopes as vpnsed speaks them; see
// docs/ipc-jsonrpc.md. Protocol-level problems use the spec's reserved codes (section 5.1); failures of
// the operation itself carry a vpnse::ErrorCode (protocol/error_mapping.hpp).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

namespace vpnsed::protocol {

using nlohmann::json;

inline constexpr int kParseError = -32700;      // the line is not JSON
inline constexpr int kInvalidRequest = -32600;  // JSON, but not a request object (or a line over the limit)
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;  // the message names the bad param
inline constexpr int kInternalError = -32603;

struct RpcError {
    int code = kInternalError;
    std::string message;
    json data;  // {"name": "auth_failed", "code": 9}; always present from vpnsed
};

struct Request {
    json id;  // number or string; null when is_notification
    bool is_notification = false;
    std::string method;
    json params;  // object or null (by-position params are rejected)
};

// Validates one decoded JSON value as a request. On failure, the error and the id to answer with
// (null when the id itself could not be read).
struct InvalidRequest {
    json id;
    RpcError error;
};
std::variant<Request, InvalidRequest> parse_request(const json& message);

json make_request(const json& id, std::string_view method, json params);
json make_notification(std::string_view method, json params);
json make_result(const json& id, json result);
json make_error(const json& id, const RpcError& error);
json error_to_json(const RpcError& error);
// Reads the error member of a response; malformed objects give kInternalError with a generic message.
RpcError error_from_json(const json& error);

}  // namespace vpnsed::protocol
