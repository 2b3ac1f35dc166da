#include "profile/profile_writer.hpp"

#include <toml++/toml.h>
#include <sstream>

#include "core/base64.hpp"

namespace vpnse {
namespace {

toml::array strings(const std::vector<std::string>& values) {
    toml::array out;
    for (const auto& value : values)
        out.push_back(value);
    return out;
}

toml::table server_of(const Profile& p) {
    toml::table t{{"host", p.host}, {"hub", p.hub}};
    if (p.port != 443)
        t.insert("port", static_cast<std::int64_t>(p.port));
    return t;
}

toml::table auth_of(const Profile& p) {
    toml::table t{{"method", std::string(auth_method_name(p.auth_method))}};
    if (p.auth_method != AuthMethod::anonymous || !p.username.empty())
        t.insert("username", p.username);
    if (p.auth_method == AuthMethod::password || p.auth_method == AuthMethod::plain_password)
        t.insert("password", p.password);
    if (p.auth_method == AuthMethod::password_hash && p.password_hash)
        t.insert("password_hash", base64_encode(*p.password_hash));
    // Certificate bytes (C API, a fresh import) have no TOML form: only the files are written.
    if (p.auth_method == AuthMethod::certificate && !p.cert_file.empty())
        t.insert("cert_file", p.cert_file);
    if (p.auth_method == AuthMethod::certificate && !p.key_file.empty())
        t.insert("key_file", p.key_file);
    return t;
}

toml::table proxy_of(const Profile& p) {
    toml::table t;
    if (p.proxy_type == ProxyType::none)
        return t;
    t.insert("type", std::string(proxy_type_name(p.proxy_type)));
    t.insert("host", p.proxy_host);
    t.insert("port", static_cast<std::int64_t>(p.proxy_port));
    if (!p.proxy_username.empty())
        t.insert("username", p.proxy_username);
    if (!p.proxy_password.empty())
        t.insert("password", p.proxy_password);
    return t;
}

toml::table tls_of(const Profile& p) {
    toml::table t{{"verify", std::string(tls_verify_name(p.tls_verify))}};
    if (p.tls_verify == TlsVerify::fingerprint)
        t.insert("fingerprint", fingerprint_text(p.pinned_sha256));
    if (p.tls_verify == TlsVerify::ca_file)
        t.insert("ca_file", p.ca_file);
    if (!p.sni.empty())
        t.insert("sni", p.sni);
    if (!p.check_hostname)
        t.insert("check_hostname", false);
    return t;
}

toml::table session_of(const Profile& p) {
    const Profile defaults;
    toml::table t;
    if (p.max_connections != defaults.max_connections)
        t.insert("max_connections", static_cast<std::int64_t>(p.max_connections));
    if (p.half_connection)
        t.insert("half_connection", true);
    if (!p.use_encrypt)
        t.insert("encrypt", false);
    if (p.allow_unencrypted)
        t.insert("allow_unencrypted", true);
    if (p.compression)
        t.insert("compression", true);
    if (!p.udp_acceleration)
        t.insert("udp_acceleration", false);
    return t;
}

toml::table network_of(const Profile& p) {
    const Profile defaults;
    toml::table t;
    if (p.route_mode != defaults.route_mode)
        t.insert("routes", std::string(route_mode_name(p.route_mode)));
    if (!p.include_routes.empty())
        t.insert("include", strings(p.include_routes));
    if (!p.exclude_routes.empty())
        t.insert("exclude", strings(p.exclude_routes));
    if (p.dns != defaults.dns)
        t.insert("dns", p.dns);
    if (p.kill_switch)
        t.insert("kill_switch", true);
    if (p.mtu != defaults.mtu)
        t.insert("mtu", static_cast<std::int64_t>(p.mtu));
    if (p.ipv6 != defaults.ipv6)
        t.insert("ipv6", p.ipv6);
    if (!p.mac.empty())
        t.insert("mac", p.mac);
    return t;
}

toml::table reconnect_of(const Profile& p) {
    const Profile defaults;
    toml::table t;
    if (p.reconnect != defaults.reconnect)
        t.insert("enabled", p.reconnect);
    if (p.reconnect_initial_ms != defaults.reconnect_initial_ms)
        t.insert("initial_delay_ms", static_cast<std::int64_t>(p.reconnect_initial_ms));
    if (p.reconnect_max_ms != defaults.reconnect_max_ms)
        t.insert("max_delay_ms", static_cast<std::int64_t>(p.reconnect_max_ms));
    if (p.reconnect_max_attempts != defaults.reconnect_max_attempts)
        t.insert("max_attempts", static_cast<std::int64_t>(p.reconnect_max_attempts));
    return t;
}

}  // namespace

std::string profile_to_toml(const Profile& profile) {
    toml::table root;
    if (profile.autoconnect)
        root.insert("autoconnect", true);
    root.insert("server", server_of(profile));
    root.insert("auth", auth_of(profile));
    root.insert("tls", tls_of(profile));
    for (auto [name, table] :
         {std::pair{"proxy", proxy_of(profile)}, std::pair{"session", session_of(profile)},
          std::pair{"network", network_of(profile)}, std::pair{"reconnect", reconnect_of(profile)}})
        if (!table.empty())
            root.insert(name, std::move(table));
    std::ostringstream text;
    text << root << "\n";
    return text.str();
}

}  // namespace vpnse
