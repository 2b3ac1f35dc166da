#pragma once
// A Win32 / IP Helper error code as a vpnse::Error: the code the daemon's callers act on, and the
// system's own text for the log.
#include <windows.h>

#include <string>
#include <system_error>

#include "vpnse/error.hpp"

namespace vpnse::platform::windows {

inline ErrorCode error_code_of_win32(DWORD code) noexcept {
    switch (code) {
        case ERROR_ACCESS_DENIED:
            return ErrorCode::permission_denied;
        case ERROR_NOT_FOUND:
        case ERROR_FILE_NOT_FOUND:
        case ERROR_MOD_NOT_FOUND:
        case ERROR_PROC_NOT_FOUND:
            return ErrorCode::not_found;
        case ERROR_OBJECT_ALREADY_EXISTS:
        case ERROR_ALREADY_EXISTS:
            return ErrorCode::already_exists;
        case ERROR_INVALID_PARAMETER:
            return ErrorCode::invalid_argument;
        default:
            return ErrorCode::io_error;
    }
}

// "what: <system message> (Win32 error N)"
inline Error win32_error(const std::string& what, DWORD code) {
    return Error(error_code_of_win32(code), what + ": " +
                                                std::system_category().message(static_cast<int>(code)) +
                                                " (Win32 error " + std::to_string(code) + ")");
}

}  // namespace vpnse::platform::windows
