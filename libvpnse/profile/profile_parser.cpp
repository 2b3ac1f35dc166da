#include "profile/profile_parser.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>
#include <string>

#include "core/base64.hpp"
#include "core/file.hpp"
#include "profile/address.hpp"
#include "profile/toml_section.hpp"

namespace vpnse {
namespace {

using profile::TomlErrors;
using profile::TomlSection;

constexpr std::size_t kMaxProfileBytes = 1024 * 1024;

std::string in_quotes(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

void read_server(TomlSection section, Profile& out) {
    section.read("host", out.host);
    section.read_int("port", 1, 65535, out.port);
    section.read("hub", out.hub);
    section.reject_unknown_keys();
    if (out.host.empty())
        section.fail("host", "is required");
    else if (out.host.find_first_of(" \t/") != std::string::npos)
        section.fail("host", "must be a host name or an IP address");
    if (out.hub.empty())
        section.fail("hub", "is required");
}

void read_auth(TomlSection section, Profile& out, bool certificate_in_memory) {
    std::string method = "password";
    section.read("method", method);
    section.read("username", out.username);
    section.read("password", out.password);
    std::string hash_text;
    section.read("password_hash", hash_text);
    section.read("cert_file", out.cert_file);
    section.read("key_file", out.key_file);
    section.reject_unknown_keys();

    if (method == "password")
        out.auth_method = AuthMethod::password;
    else if (method == "password_hash")
        out.auth_method = AuthMethod::password_hash;
    else if (method == "plain")
        out.auth_method = AuthMethod::plain_password;
    else if (method == "anonymous")
        out.auth_method = AuthMethod::anonymous;
    else if (method == "certificate")
        out.auth_method = AuthMethod::certificate;
    else
        return section.fail("method",
                            "must be \"password\", \"password_hash\", \"plain\", \"certificate\" or "
                            "\"anonymous\" (got " +
                                in_quotes(method) + ")");
    const bool uses_files = out.auth_method == AuthMethod::certificate;
    const bool needs_files = uses_files && !certificate_in_memory;
    for (const char* key : {"cert_file", "key_file"}) {
        if (needs_files && !section.has(key))
            section.fail(key, "is required with method = \"certificate\"");
        else if (!uses_files && section.has(key))
            section.fail(key,
                         "is only used with method = \"certificate\" (method is " + in_quotes(method) + ")");
    }

    const bool needs_password =
        out.auth_method == AuthMethod::password || out.auth_method == AuthMethod::plain_password;
    const bool needs_hash = out.auth_method == AuthMethod::password_hash;
    if (out.auth_method != AuthMethod::anonymous && out.username.empty())
        section.fail("username", "is required unless method = \"anonymous\"");
    if (section.has("password") && !needs_password)
        section.fail("password", "is only used with method = \"password\" or \"plain\" (method is " +
                                     in_quotes(method) + ")");
    if (section.has("password_hash") && !needs_hash)
        section.fail("password_hash",
                     "is only used with method = \"password_hash\" (method is " + in_quotes(method) + ")");
    if (needs_password && out.password.empty())
        section.fail("password", "is required with method = " + in_quotes(method));
    if (needs_hash) {
        if (hash_text.empty())
            return section.fail("password_hash", "is required with method = \"password_hash\"");
        const auto bytes = base64_decode(hash_text);
        if (!bytes)
            return section.fail("password_hash", "is not valid base64");
        if (bytes->size() != 20)
            return section.fail("password_hash", "must be the base64 of a 20-byte SHA-0 hash (got " +
                                                     std::to_string(bytes->size()) + " bytes)");
        std::array<std::uint8_t, 20> hash{};
        std::copy(bytes->begin(), bytes->end(), hash.begin());
        out.password_hash = hash;
    }
}

bool parse_fingerprint(std::string_view text, std::array<std::uint8_t, 32>& out) {
    std::string hex;
    for (char c : text) {
        if (c == ':')
            continue;
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return false;
        hex += c;
    }
    if (hex.size() != 64)
        return false;
    for (std::size_t i = 0; i < 32; ++i)
        out[i] = static_cast<std::uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
    return true;
}

void read_tls(TomlSection section, Profile& out) {
    std::string verify = "fingerprint";
    std::string fingerprint;
    section.read("verify", verify);
    section.read("fingerprint", fingerprint);
    section.read("ca_file", out.ca_file);
    section.read("sni", out.sni);
    section.read("check_hostname", out.check_hostname);
    section.reject_unknown_keys();

    if (verify == "fingerprint")
        out.tls_verify = TlsVerify::fingerprint;
    else if (verify == "ca")
        out.tls_verify = TlsVerify::ca_file;
    else if (verify == "insecure")
        out.tls_verify = TlsVerify::insecure;
    else if (verify == "tofu")
        out.tls_verify = TlsVerify::tofu;
    else
        return section.fail("verify", "must be \"fingerprint\", \"ca\", \"tofu\" or \"insecure\" (got " +
                                          in_quotes(verify) + ")");

    if (out.tls_verify == TlsVerify::fingerprint) {
        if (fingerprint.empty())
            section.fail("fingerprint", "is required with verify = \"fingerprint\"");
        else if (!parse_fingerprint(fingerprint, out.pinned_sha256))
            section.fail("fingerprint", "must be a SHA-256 digest: 64 hex digits, colons allowed");
    } else if (section.has("fingerprint")) {
        section.fail("fingerprint",
                     "is only used with verify = \"fingerprint\" (verify is " + in_quotes(verify) + ")");
    }
    if (out.tls_verify == TlsVerify::ca_file && out.ca_file.empty())
        section.fail("ca_file", "is required with verify = \"ca\"");
    if (out.tls_verify != TlsVerify::ca_file && section.has("ca_file"))
        section.fail("ca_file", "is only used with verify = \"ca\" (verify is " + in_quotes(verify) + ")");
}

void read_proxy(TomlSection section, Profile& out) {
    std::string type = "none";
    section.read("type", type);
    section.read("host", out.proxy_host);
    section.read_int("port", 1, 65535, out.proxy_port);
    section.read("username", out.proxy_username);
    section.read("password", out.proxy_password);
    section.reject_unknown_keys();

    if (type == "none")
        out.proxy_type = ProxyType::none;
    else if (type == "http")
        out.proxy_type = ProxyType::http;
    else if (type == "socks5")
        out.proxy_type = ProxyType::socks5;
    else
        return section.fail("type", "must be \"http\", \"socks5\" or \"none\" (got " + in_quotes(type) + ")");
    if (out.proxy_type == ProxyType::none) {
        for (const char* key : {"host", "port", "username", "password"}) {
            if (section.has(key))
                return section.fail(key, "is only used with proxy.type = \"http\" or \"socks5\"");
        }
        return;
    }
    if (auto problem = proxy_problem(out.proxy_type, out.proxy_host, out.proxy_port, out.proxy_username,
                                     out.proxy_password))
        section.fail(problem->key, problem->message);
}

void read_session(TomlSection section, Profile& out) {
    section.read_int("max_connections", 1, 32, out.max_connections);
    section.read("half_connection", out.half_connection);
    section.read("encrypt", out.use_encrypt);
    section.read("allow_unencrypted", out.allow_unencrypted);
    section.read("compression", out.compression);
    section.read("udp_acceleration", out.udp_acceleration);
    section.reject_unknown_keys();
    // Half-connection splits TCP connections into send-only and receive-only ones, so it needs two or more.
    if (out.half_connection && out.max_connections < 2)
        section.fail("half_connection", "needs session.max_connections of at least 2");
    if (!out.use_encrypt && !out.allow_unencrypted)
        section.fail("encrypt",
                     "false also needs session.allow_unencrypted = true (traffic would be sent in clear)");
}

void read_cidrs(TomlSection& section, std::string_view key, std::vector<std::string>& out) {
    section.read(key, out);
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (!profile::is_cidr(out[i]))
            return section.fail(key, "element " + std::to_string(i) + ": " + in_quotes(out[i]) +
                                         " is not a CIDR block (address/prefix, e.g. \"10.0.0.0/8\")");
    }
}

void read_network(TomlSection section, Profile& out) {
    std::string routes = "split";
    section.read("routes", routes);
    read_cidrs(section, "include", out.include_routes);
    read_cidrs(section, "exclude", out.exclude_routes);
    section.read("dns", out.dns);
    section.read("kill_switch", out.kill_switch);
    section.read_int("mtu", 576, 1500, out.mtu);
    section.read("ipv6", out.ipv6);
    section.read("mac", out.mac);
    section.reject_unknown_keys();

    if (routes == "split")
        out.route_mode = RouteMode::split;
    else if (routes == "full")
        out.route_mode = RouteMode::full;
    else
        section.fail("routes", "must be \"split\" or \"full\" (got " + in_quotes(routes) + ")");
    if (!out.mac.empty()) {
        if (!profile::is_mac_address(out.mac))
            section.fail("mac", "must be six hex octets separated by colons, e.g. \"5e:00:12:34:56:78\"");
        else if (std::stoul(out.mac.substr(0, 2), nullptr, 16) & 1)
            section.fail("mac", "must be a unicast address (the lowest bit of the first octet is set)");
    }
}

void read_reconnect(TomlSection section, Profile& out) {
    section.read("enabled", out.reconnect);
    section.read_int("initial_delay_ms", 100, 3'600'000, out.reconnect_initial_ms);
    section.read_int("max_delay_ms", 100, 3'600'000, out.reconnect_max_ms);
    section.read_int("max_attempts", 0, 1'000'000, out.reconnect_max_attempts);
    section.reject_unknown_keys();
    if (out.reconnect_max_ms < out.reconnect_initial_ms)
        section.fail("max_delay_ms", "must not be less than reconnect.initial_delay_ms (" +
                                         std::to_string(out.reconnect_initial_ms) + ")");
}

}  // namespace

std::optional<ProxyProblem> proxy_problem(ProxyType type, std::string_view host, std::uint16_t port,
                                          std::string_view username, std::string_view password) {
    if (type == ProxyType::none)
        return std::nullopt;
    if (host.empty())
        return ProxyProblem{"host", "is required"};
    if (host.size() > 255 || host.find_first_of(" \t/[]") != std::string_view::npos ||
        std::any_of(host.begin(), host.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
        return ProxyProblem{"host", "must be a host name or an IP address"};
    if (port == 0)
        return ProxyProblem{"port", "is required"};
    if (username.empty() && !password.empty())
        return ProxyProblem{"password", "needs proxy.username"};
    if (type == ProxyType::socks5) {
        // RFC 1929 section 2: one length octet each.
        if (username.size() > 255)
            return ProxyProblem{"username", "must be at most 255 bytes for SOCKS5"};
        if (password.size() > 255)
            return ProxyProblem{"password", "must be at most 255 bytes for SOCKS5"};
    } else if (username.find(':') != std::string_view::npos) {
        // RFC 7617 section 2: Basic credentials end the user-id at the first colon.
        return ProxyProblem{"username", "must not contain ':' for an HTTP proxy (Basic authentication)"};
    }
    return std::nullopt;
}

bool is_valid_profile_name(std::string_view name) {
    if (name.empty() || name.size() > 32)
        return false;
    for (char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
            return false;
    }
    return true;
}

Result<Profile> parse_profile(std::string_view toml_text, std::string_view source_name,
                              std::string_view profile_name, ProfileParseOptions options) {
    if (!is_valid_profile_name(profile_name))
        return Error(ErrorCode::config_invalid,
                     std::string(source_name) + ": profile name " + in_quotes(profile_name) +
                         " must be 1 to 32 characters of a-z, A-Z, 0-9, '_' or '-'");
    std::optional<Error> syntax_error;
    auto table = profile::parse_toml(toml_text, source_name, syntax_error);
    if (!table)
        return *syntax_error;

    Profile out;
    out.name = std::string(profile_name);
    TomlErrors errors(source_name);
    TomlSection root(&*table, "", errors);
    // Sections are read in file order of importance so the first reported error is the most useful one.
    read_server(root.section("server"), out);
    read_auth(root.section("auth"), out, options.certificate_in_memory);
    read_tls(root.section("tls"), out);
    read_proxy(root.section("proxy"), out);
    read_session(root.section("session"), out);
    read_network(root.section("network"), out);
    read_reconnect(root.section("reconnect"), out);
    root.read("autoconnect", out.autoconnect);
    root.reject_unknown_keys();
    if (errors.failed())
        return *errors.error();
    return out;
}

Status check_profile_file_access(const Profile& profile, std::string_view source_name, std::uint32_t mode,
                                 std::uint32_t owner_uid) {
    // The proxy password has no hashed form: like auth.password, it is usable as it stands.
    const char* secret_key = !profile.password.empty()         ? "auth.password"
                             : !profile.proxy_password.empty() ? "proxy.password"
                                                               : nullptr;
    if (secret_key == nullptr)
        return {};
    if ((mode & 07777) == 0600 && owner_uid == 0)
        return {};
    char mode_text[8];
    std::snprintf(mode_text, sizeof mode_text, "%04o", mode & 07777);
    const std::string hint = profile.password.empty() ? "" : ", or use auth.password_hash";
    return Error(ErrorCode::config_invalid, std::string(source_name) + ": holds a clear password (" +
                                                secret_key +
                                                "), so it must be mode 0600 and owned by root (it is mode " +
                                                mode_text + ", owner uid " + std::to_string(owner_uid) +
                                                "); fix with: chown root:root FILE && chmod 600 FILE" + hint);
}

Status check_key_file_access(std::string_view key_file, std::uint32_t mode, std::uint32_t owner_uid) {
    if ((mode & 077) == 0 && owner_uid == 0)
        return {};
    char mode_text[8];
    std::snprintf(mode_text, sizeof mode_text, "%04o", mode & 07777);
    return Error(ErrorCode::config_invalid,
                 "auth.key_file " + std::string(key_file) +
                     ": a private key must be owned by root and readable by no one else (it is mode " +
                     mode_text + ", owner uid " + std::to_string(owner_uid) +
                     "); fix with: chown root:root FILE && chmod 600 FILE");
}

Result<Profile> load_profile_file(const std::filesystem::path& path) {
    const std::string source = path.string();
    auto text = read_small_file(path, kMaxProfileBytes);
    if (!text) {
        if (text.error().code() == ErrorCode::limit_exceeded)
            return Error(ErrorCode::config_invalid, source + ": file is larger than 1 MiB");
        return Error(text.error().code(), source + ": " + text.error().message());
    }
    auto profile = parse_profile(*text, source, path.stem().string());
    if (!profile)
        return profile;
    if (auto access = check_profile_file_on_disk(*profile, source); !access)
        return std::move(access).error();
    return profile;
}

}  // namespace vpnse
