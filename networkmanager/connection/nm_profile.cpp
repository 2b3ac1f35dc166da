#include "connection/nm_profile.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <sstream>

#include "profile/profile_parser.hpp"

namespace vpnse::nm {
namespace {

Error invalid(const std::string& message) {
    return Error(ErrorCode::config_invalid, message);
}

// NM stores everything as text; the profile wants typed values.
Status put(toml::table& root, const NmKey& key, const std::string& value, const char* where) {
    const auto dot = key.toml_path.find('.');
    const std::string section(key.toml_path.substr(0, dot)), name(key.toml_path.substr(dot + 1));
    auto* table = root.insert(section, toml::table{}).first->second.as_table();
    const std::string what = std::string(where) + ": " + std::string(key.nm_name);
    switch (key.kind) {
        case NmKey::text:
            table->insert_or_assign(name, value);
            return {};
        case NmKey::integer: {
            std::int64_t number = 0;
            std::istringstream in(value);
            if (!(in >> number) || !in.eof())
                return invalid(what + ": must be a whole number (got \"" + value + "\")");
            table->insert_or_assign(name, number);
            return {};
        }
        case NmKey::boolean:
            if (value == "yes" || value == "true")
                table->insert_or_assign(name, true);
            else if (value == "no" || value == "false")
                table->insert_or_assign(name, false);
            else
                return invalid(what + ": must be yes or no (got \"" + value + "\")");
            return {};
    }
    return {};
}

// The parser names "section.key"; the user wrote the NM key.
Error renamed(const Error& error, const std::string& source) {
    std::string message = error.message();
    if (message.rfind(source + ": ", 0) == 0) {
        const auto start = source.size() + 2;
        const auto end = message.find(": ", start);
        if (end != std::string::npos)
            if (const auto* key = nm_key_for_path(std::string_view(message).substr(start, end - start)))
                message = std::string(key->secret ? "vpn.secrets: " : "vpn.data: ") +
                          std::string(key->nm_name) + message.substr(end);
    }
    return Error(error.code(), message);
}

std::string auth_method(const NmVpnSettings& settings) {
    auto it = settings.data.find("auth");
    return it == settings.data.end() ? "password" : it->second;
}

}  // namespace

const std::vector<NmKey>& nm_keys() {
    static const std::vector<NmKey> keys = {
        {"host", "server.host", NmKey::text, false},
        {"port", "server.port", NmKey::integer, false},
        {"hub", "server.hub", NmKey::text, false},
        {"user", "auth.username", NmKey::text, false},
        {"auth", "auth.method", NmKey::text, false},
        {"verify", "tls.verify", NmKey::text, false},
        {"fingerprint", "tls.fingerprint", NmKey::text, false},
        {"ca-file", "tls.ca_file", NmKey::text, false},
        {"sni", "tls.sni", NmKey::text, false},
        {"max-connections", "session.max_connections", NmKey::integer, false},
        {"half-connection", "session.half_connection", NmKey::boolean, false},
        {"compression", "session.compression", NmKey::boolean, false},
        {"encrypt", "session.encrypt", NmKey::boolean, false},
        {"udp-acceleration", "session.udp_acceleration", NmKey::boolean, false},
        {"routes", "network.routes", NmKey::text, false},
        {"mtu", "network.mtu", NmKey::integer, false},
        {"ipv6", "network.ipv6", NmKey::boolean, false},
        {"reconnect", "reconnect.enabled", NmKey::boolean, false},
        {"reconnect-delay-ms", "reconnect.initial_delay_ms", NmKey::integer, false},
        {"reconnect-max-delay-ms", "reconnect.max_delay_ms", NmKey::integer, false},
        {"reconnect-max-attempts", "reconnect.max_attempts", NmKey::integer, false},
        {"cert-file", "auth.cert_file", NmKey::text, false},
        {"key-file", "auth.key_file", NmKey::text, false},
        {"proxy-type", "proxy.type", NmKey::text, false},
        {"proxy-host", "proxy.host", NmKey::text, false},
        {"proxy-port", "proxy.port", NmKey::integer, false},
        {"proxy-user", "proxy.username", NmKey::text, false},
        {"password", "auth.password", NmKey::text, true},
        {"password-hash", "auth.password_hash", NmKey::text, true},
        {"proxy-password", "proxy.password", NmKey::text, true},
    };
    return keys;
}

const NmKey* nm_key_named(std::string_view nm_name) {
    for (const auto& key : nm_keys())
        if (key.nm_name == nm_name)
            return &key;
    return nullptr;
}

const NmKey* nm_key_for_path(std::string_view toml_path) {
    for (const auto& key : nm_keys())
        if (key.toml_path == toml_path)
            return &key;
    return nullptr;
}

Result<std::string> nm_toml_text(const NmVpnSettings& settings, bool with_secrets) {
    toml::table root;
    for (const auto& [name, value] : settings.data) {
        // NM's own bookkeeping: how each secret is stored (agent-owned, not saved, ...).
        if (name.size() > 6 && name.ends_with("-flags"))
            continue;
        const auto* key = nm_key_named(name);
        if (!key || key->secret)
            return invalid("vpn.data: " + name + ": unknown key (docs/networkmanager.md lists them)");
        if (auto status = put(root, *key, value, "vpn.data"); !status)
            return status.error();
    }
    for (const auto& [name, value] : settings.secrets) {
        const auto* key = nm_key_named(name);
        if (!key || !key->secret)
            return invalid("vpn.secrets: " + name +
                           ": unknown secret (expected password, password-hash or proxy-password)");
        if (!with_secrets)
            continue;
        if (auto status = put(root, *key, value, "vpn.secrets"); !status)
            return status.error();
    }
    std::ostringstream text;
    text << root;
    return text.str();
}

Result<Profile> profile_from_nm(const NmVpnSettings& settings) {
    auto text = nm_toml_text(settings, true);
    if (!text)
        return text.error();
    const std::string source = "NetworkManager connection '" + settings.id + "'";
    auto profile = parse_profile(*text, source, profile_name_for(settings.uuid));
    if (!profile)
        return renamed(profile.error(), source);
    return profile;
}

std::vector<std::string> secrets_used(const NmVpnSettings& settings) {
    std::vector<std::string> used;
    const auto method = auth_method(settings);
    if (method == "password" || method == "plain")
        used.emplace_back("password");
    else if (method == "password_hash")
        used.emplace_back("password-hash");
    if (auto user = settings.data.find("proxy-user"); user != settings.data.end() && !user->second.empty())
        used.emplace_back("proxy-password");
    return used;
}

std::string missing_secret(const NmVpnSettings& settings) {
    for (const auto& needed : secrets_used(settings)) {
        auto it = settings.secrets.find(needed);
        if (it == settings.secrets.end() || it->second.empty())
            return needed;
    }
    return {};
}

std::string profile_name_for(const std::string& uuid) {
    std::string name = "nm";
    for (char c : uuid) {
        if (name.size() == 11)
            break;
        if (std::isxdigit(static_cast<unsigned char>(c)))
            name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return name;
}

}  // namespace vpnse::nm
