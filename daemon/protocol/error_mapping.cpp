#include "protocol/error_mapping.hpp"

namespace vpnsed::protocol {
namespace {

using vpnse::ErrorCode;

ErrorCode default_code_for(int jsonrpc_code) {
    switch (jsonrpc_code) {
        case kParseError:
            return ErrorCode::malformed_input;
        case kInvalidRequest:
        case kInvalidParams:
            return ErrorCode::invalid_argument;
        case kMethodNotFound:
            return ErrorCode::not_found;
        default:
            return ErrorCode::internal;
    }
}

json data_for(ErrorCode code) {
    return {{"name", vpnse::error_code_name(code)}, {"code", static_cast<int>(code)}};
}

}  // namespace

RpcError rpc_error_from(const vpnse::Error& error) {
    const ErrorCode code = error.code() == ErrorCode::ok ? ErrorCode::internal : error.code();
    std::string message =
        error.message().empty() ? std::string(vpnse::error_code_description(code)) : error.message();
    return RpcError{static_cast<int>(code), std::move(message), data_for(code)};
}

RpcError protocol_error(int jsonrpc_code, std::string message, ErrorCode code_override) {
    const ErrorCode code = code_override == ErrorCode::ok ? default_code_for(jsonrpc_code) : code_override;
    return RpcError{jsonrpc_code, std::move(message), data_for(code)};
}

vpnse::Error error_from_rpc(const RpcError& error) {
    ErrorCode code = error.code > 0 ? static_cast<ErrorCode>(error.code) : default_code_for(error.code);
    if (error.data.is_object()) {
        if (auto it = error.data.find("code");
            it != error.data.end() && it->is_number_integer() && it->get<int>() > 0)
            code = static_cast<ErrorCode>(it->get<int>());
    }
    return vpnse::Error(code, error.message);
}

}  // namespace vpnsed::protocol
