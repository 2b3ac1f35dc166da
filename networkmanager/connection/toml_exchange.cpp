#include "connection/toml_exchange.hpp"

#include <toml++/toml.h>
#include <sstream>

#include "profile/profile_parser.hpp"

namespace vpnse::nm {
namespace {

// Profile keys NM decides on its own terms: whether to connect at start, DNS, traffic outside the VPN.
bool owned_by_nm(std::string_view path) {
    return path == "autoconnect" || path == "network.dns" || path == "network.kill_switch";
}

// By the node's own type: toml++ would convert between them.
std::string as_text(const toml::node& value) {
    if (const auto* text = value.as_string())
        return text->get();
    if (const auto* flag = value.as_boolean())
        return flag->get() ? "yes" : "no";
    if (const auto* number = value.as_integer())
        return std::to_string(number->get());
    return {};
}

}  // namespace

Result<NmVpnSettings> nm_settings_from_toml(std::string_view text, std::string_view source_name,
                                            std::string_view profile_name) {
    if (auto valid = parse_profile(text, source_name, profile_name); !valid)
        return valid.error();
    toml::table root;
    try {
        root = toml::parse(text);
    } catch (const toml::parse_error& e) {
        return Error(ErrorCode::config_invalid,
                     std::string(source_name) + ": " + std::string(e.description()));
    }
    NmVpnSettings out;
    out.id = std::string(profile_name);
    std::string unmapped;
    auto take = [&](const std::string& path, const toml::node& value) {
        if (owned_by_nm(path))
            return;
        const auto* key = nm_key_for_path(path);
        if (!key) {
            unmapped += (unmapped.empty() ? "" : ", ") + path;
            return;
        }
        (key->secret ? out.secrets : out.data)[std::string(key->nm_name)] = as_text(value);
    };
    for (const auto& [section, node] : root) {
        const std::string name(section.str());
        if (const auto* table = node.as_table()) {
            for (const auto& [key, value] : *table)
                take(name + "." + std::string(key.str()), value);
        } else {
            take(name, node);
        }
    }
    if (!unmapped.empty())
        return Error(ErrorCode::config_invalid, std::string(source_name) +
                                                    ": no NetworkManager setting for " + unmapped +
                                                    " (docs/networkmanager.md lists the keys NM takes)");
    if (!out.secrets.empty())
        out.data["password-flags"] = "0";  // the file held it for root; NM keeps it the same way
    return out;
}

Result<std::string> toml_from_nm(const NmVpnSettings& settings) {
    auto text = nm_toml_text(settings, false);
    if (!text)
        return text.error();
    return "# Exported from NetworkManager connection '" + settings.id +
           "'. Secrets are not exported: add auth.password (file mode 0600) to use it with vpnsed.\n" +
           *text + "\n";
}

}  // namespace vpnse::nm
