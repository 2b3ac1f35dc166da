#include <windows.h>

#include <algorithm>
#include <string>
#include <system_error>

#include "platform/atomic_file.hpp"
#include "platform/windows/unique_handle.hpp"

namespace vpnse::platform {
namespace {

Error last_error(const std::string& what) {
    return Error(ErrorCode::io_error,
                 what + ": " + std::system_category().message(static_cast<int>(::GetLastError())));
}

using windows::UniqueHandle;

}  // namespace

// `mode` has no meaning here: the file inherits the ACL of its directory (%ProgramData%\vpnse, which
// windows-service/install.ps1 restricts to SYSTEM and Administrators).
Status write_file_atomically(const std::filesystem::path& path, std::string_view text, unsigned) {
    auto tmp = path;
    tmp += ".tmp";
    UniqueHandle file(::CreateFileW(tmp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                                    FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
    if (!file)
        return last_error("open " + tmp.string());
    std::size_t done = 0;
    while (done < text.size()) {
        DWORD written = 0;
        const auto chunk = static_cast<DWORD>(std::min<std::size_t>(text.size() - done, 1u << 30));
        if (!::WriteFile(file.get(), text.data() + done, chunk, &written, nullptr) || written == 0) {
            auto failure = last_error("write " + tmp.string());
            file.reset();
            ::DeleteFileW(tmp.c_str());
            return failure;
        }
        done += written;
    }
    // The replacement must not become visible before the data.
    if (!::FlushFileBuffers(file.get())) {
        auto failure = last_error("flush " + tmp.string());
        file.reset();
        ::DeleteFileW(tmp.c_str());
        return failure;
    }
    file.reset();
    if (!::MoveFileExW(tmp.c_str(), path.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        auto failure = last_error("rename " + path.string());
        ::DeleteFileW(tmp.c_str());
        return failure;
    }
    return {};
}

}  // namespace vpnse::platform
