#include "import/certificate_files.hpp"

namespace vpnse::import {

Status store_certificate_files(Profile& profile, const std::filesystem::path& dir, const WriteFile& write) {
    if (profile.auth_method != AuthMethod::certificate || profile.cert_data.empty())
        return {};
    const auto cert_path = dir / (profile.name + ".cert.der");
    const auto key_path = dir / (profile.name + ".key.der");
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
