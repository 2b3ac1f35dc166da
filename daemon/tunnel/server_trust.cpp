#include "tunnel/server_trust.hpp"

#include <filesystem>
#include <fstream>

#include "core/bytes.hpp"
#include "core/file.hpp"

namespace vpnsed::tunnel {

using vpnse::Error;
using vpnse::ErrorCode;

ServerTrust::ServerTrust(const std::string& state_dir, const std::string& profile_name)
    : path_(std::filesystem::path(state_dir) / "trusted" / (profile_name + ".sha256")) {}

vpnse::Result<std::optional<std::array<std::uint8_t, 32>>> ServerTrust::load() const {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec))
        return std::optional<std::array<std::uint8_t, 32>>();
    auto text = vpnse::read_small_file(path_, 1024);
    if (!text)
        return Error(ErrorCode::io_error, path_.string() + ": " + text.error().message());
    std::string hex = *text;
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' '))
        hex.pop_back();
    vpnse::Bytes bytes;
    if (!vpnse::from_hex(hex, bytes) || bytes.size() != 32)
        return Error(ErrorCode::config_invalid, path_.string() +
                                                    ": not a SHA-256 fingerprint (64 hex digits); delete the "
                                                    "file to trust the server's certificate anew");
    std::array<std::uint8_t, 32> sha256{};
    std::copy(bytes.begin(), bytes.end(), sha256.begin());
    return std::optional(sha256);
}

vpnse::Status ServerTrust::save(const std::array<std::uint8_t, 32>& sha256) const {
    std::error_code ec;
    std::filesystem::create_directories(path_.parent_path(), ec);
    if (ec)
        return Error(ErrorCode::io_error,
                     "cannot create " + path_.parent_path().string() + ": " + ec.message());
    // std::filesystem rather than chmod(2): the same 0700 on POSIX, and it builds for vpnsed.exe (where
    // %ProgramData%\vpnse's ACL protects the file).
    std::filesystem::permissions(path_.parent_path(), std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    const auto tmp = path_.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << vpnse::to_hex(sha256) << "\n";
        out.close();
        if (!out)
            return Error(ErrorCode::io_error, "cannot write " + tmp);
    }
    std::filesystem::permissions(tmp,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace, ec);
    std::filesystem::rename(tmp, path_, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        return Error(ErrorCode::io_error, "cannot rename " + tmp + ": " + ec.message());
    }
    return {};
}

}  // namespace vpnsed::tunnel
