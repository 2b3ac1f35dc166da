#pragma once
// UTF-8 <-> UTF-16 for the wide-character Windows APIs (adapter names, DNS settings).
#include <windows.h>

#include <string>
#include <string_view>

namespace vpnse::platform::windows {

// Invalid UTF-8 becomes U+FFFD (MultiByteToWideChar without MB_ERR_INVALID_CHARS).
inline std::wstring widen(std::string_view utf8) {
    if (utf8.empty())
        return {};
    const int size =
        ::MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
    std::wstring out(static_cast<std::size_t>(size), L'\0');
    ::MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), out.data(), size);
    return out;
}

}  // namespace vpnse::platform::windows
