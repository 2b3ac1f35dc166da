#pragma once
// The one mapping between vpnse::Error and JSON-RPC error objects (docs/ipc-jsonrpc.md, "Errors").
//
// Application errors: code = the vpnse::ErrorCode value itself (a positive number, e.g. 9 for
// auth_failed, 1010 for permission_denied). JSON-RPC 2.0 section 5.1 reserves -32768..-32000 for the
// protocol and leaves every other integer to the application, so these never collide with it, and they
// are the same integers the C API returns.
// Protocol errors keep their reserved codes. Every error carries data {name, code} where data.code is
// always a vpnse::ErrorCode, so a client can switch on one vocabulary:
//   -32700 parse error       data {name: "malformed_input",  code: 1002}
//   -32600 invalid request   data {name: "invalid_argument", code: 1000} (or limit_exceeded for long lines)
//   -32601 method not found  data {name: "not_found",        code: 1008}
//   -32602 invalid params    data {name: "invalid_argument", code: 1000}
//   -32603 internal error    data {name: "internal",         code: 1012}
#include "protocol/jsonrpc.hpp"
#include "vpnse/error.hpp"

namespace vpnsed::protocol {

RpcError rpc_error_from(const vpnse::Error& error);
// A protocol-level error with its reserved code; `code_override` replaces the default data.code.
RpcError protocol_error(int jsonrpc_code, std::string message,
                        vpnse::ErrorCode code_override = vpnse::ErrorCode::ok);
// Inverse used by clients: data.code when present and known to be a vpnse code, else derived from the
// JSON-RPC code.
vpnse::Error error_from_rpc(const RpcError& error);

}  // namespace vpnsed::protocol
