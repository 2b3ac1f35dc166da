#include "protocol/schema.hpp"

namespace vpnsed::protocol {

vpnse::Status check_connect_params(const ConnectParams& params) {
    using vpnse::Error;
    using vpnse::ErrorCode;
    if (params.name.empty())
        return Error(ErrorCode::invalid_argument, "name: must not be empty");
    if (params.name.size() > kMaxProfileNameLength)
        return Error(ErrorCode::invalid_argument,
                     "name: is longer than " + std::to_string(kMaxProfileNameLength) + " bytes");
    if (params.timeout_ms == 0 || params.timeout_ms > kMaxConnectTimeoutMs)
        return Error(ErrorCode::invalid_argument,
                     "timeout_ms: must be between 1 and " + std::to_string(kMaxConnectTimeoutMs));
    return {};
}

}  // namespace vpnsed::protocol
