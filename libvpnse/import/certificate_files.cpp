#include "import/certificate_files.hpp"

namespace vpnse::import {

CertificateFilePaths certificate_file_paths(const std::filesystem::path& dir, std::string_view profile_name) {
    const std::string name(profile_name);
    return {dir / (name + ".cert.der"), dir / (name + ".key.der")};
}

Status store_certificate_files(Profile& profile, const std::filesystem::path& dir, const WriteFile& write) {
    if (profile.auth_method != AuthMethod::certificate || profile.cert_data.empty())
        return {};
    const auto [cert_path, key_path] = certificate_file_paths(dir, profile.name);
    // The key first: a certificate file without its key is harmless, the other way round is not usable.
    if (auto written = write(key_path, profile.key_data, 0600); !written)
        return written;
    if (auto written = write(cert_path, profile.cert_data, 0600); !written)
        return written;
    profile.cert_file = cert_path.string();
    profile.key_file = key_path.string();
    profile.cert_data.clear();
    profile.key_data.clear();
    return {};
}

}  // namespace vpnse::import
