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
#define VPNSE_ERROR_INFO(name, value, description) ErrorInfo{ErrorCode::name, #name, description},
    VPNSE_ERROR_CODES(VPNSE_ERROR_INFO)
#undef VPNSE_ERROR_INFO
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
