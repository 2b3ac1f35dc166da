#include "service/profile_import.hpp"

#include "import/certificate_files.hpp"
#include "import/vpn_account.hpp"
#include "platform/atomic_file.hpp"
#include "profile/profile_parser.hpp"
#include "profile/profile_writer.hpp"

namespace vpnsed::service {
namespace {

using vpnse::Error;
using vpnse::ErrorCode;

bool looks_like_account_file(std::string_view content) {
    if (content.substr(0, 3) == "\xEF\xBB\xBF")
        content.remove_prefix(3);
    std::size_t at = 0;
    while (at < content.size()) {
        auto end = content.find('\n', at);
        auto line = content.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        if (!line.empty() && line.front() != '#' && line.front() != '\r')
            return line.substr(0, 12) == "declare root";
        if (end == std::string_view::npos)
            break;
        at = end + 1;
    }
    return false;
}

}  // namespace

vpnse::Result<PreparedImport> prepare_import(std::string_view content, std::string_view name,
                                             ImportFormat format) {
    if (content.size() > kMaxImportBytes)
        return Error(ErrorCode::limit_exceeded, "the file is larger than " +
                                                    std::to_string(kMaxImportBytes / 1024) +
                                                    " KiB: neither a profile nor an account file");
    if (!name.empty() && !vpnse::is_valid_profile_name(name))
        return Error(ErrorCode::invalid_argument,
                     "name: \"" + std::string(name) + "\" is not a profile name ([a-zA-Z0-9_-], 1 to 32)");
    if (format == ImportFormat::detect)
        format = looks_like_account_file(content) ? ImportFormat::vpn : ImportFormat::toml;
    if (format == ImportFormat::vpn) {
        auto account = vpnse::import::import_vpn_account(content, "the account file", name);
        if (!account)
            return account.error();
        return PreparedImport{account->profile.name, std::move(account->notes), std::move(account->profile)};
    }
    if (name.empty())
        return Error(ErrorCode::invalid_argument, "name: required to import a TOML profile");
    if (auto valid = vpnse::parse_profile(content, "the profile", name); !valid)
        return valid.error();
    return PreparedImport{std::string(name), {}, std::string(content)};
}

vpnse::Status write_profile_file(const std::filesystem::path& dir, const PreparedImport& profile,
                                 bool replace) {
    const auto target = dir / (profile.name + ".toml");
    std::error_code ec;
    if (!replace && std::filesystem::exists(target, ec))
        return Error(ErrorCode::already_exists,
                     "a profile named " + profile.name + " exists (import it with replace to overwrite it)");
    std::string toml;
    if (const auto* account = std::get_if<vpnse::Profile>(&profile.content)) {
        auto with_files = *account;
        auto stored = vpnse::import::store_certificate_files(
            with_files, dir, [](const std::filesystem::path& path, std::string_view bytes, unsigned mode) {
                return vpnse::platform::write_file_atomically(path, bytes, mode);
            });
        if (!stored)
            return stored;
        toml = vpnse::profile_to_toml(with_files);
    } else {
        toml = std::get<std::string>(profile.content);
    }
    // Root-owned 0600, as the profile loader requires of a file that may hold a clear password.
    return vpnse::platform::write_file_atomically(target, toml, 0600);
}

}  // namespace vpnsed::service
