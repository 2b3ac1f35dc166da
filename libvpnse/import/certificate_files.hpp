#pragma once
// An imported account's certificate and key (profile.cert_data / key_data, DER) stored as files beside
// the profile, so the written profile names them in auth.cert_file / auth.key_file like a hand-written
// one. The host does the writing (vpnsed atomically as root, the NetworkManager editor in the user's data
// directory); this decides the names and updates the profile.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

#include "vpnse/profile.hpp"
#include "vpnse/result.hpp"

namespace vpnse::import {

// Writes `bytes` to `path` with permission bits `mode`, replacing an existing file.
using WriteFile =
    std::function<Status(const std::filesystem::path& path, std::string_view bytes, unsigned mode)>;

struct CertificateFilePaths {
    std::filesystem::path cert, key;
};
// Where an imported profile's certificate and key go (and what removing that profile removes).
CertificateFilePaths certificate_file_paths(const std::filesystem::path& dir, std::string_view profile_name);

// <dir>/<profile.name>.cert.der and .key.der, both 0600 (the key rule of docs/configuration.md). A profile
// without certificate bytes is left as it is.
Status store_certificate_files(Profile& profile, const std::filesystem::path& dir, const WriteFile& write);

}  // namespace vpnse::import
