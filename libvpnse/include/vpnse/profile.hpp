#pragma once
// A connection profile: everything needed to reach one hub on one SoftEther server.
// Parsed from TOML by vpnse::parse_profile (profile/profile_parser.hpp); the daemon keeps one per file in
// /etc/vpnse/profiles/<name>.toml. See docs/configuration.md for every key.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnse {

enum class AuthMethod {
    anonymous,       // authtype 0
    password,        // authtype 1: secure_password from the clear password (hashed in memory)
    password_hash,   // authtype 1: from the stored SoftEther hash, SHA-0(password ‖ UPPER(user)), base64
    plain_password,  // authtype 2: clear password inside TLS (RADIUS / NT domain users)
    certificate,     // authtype 3: X.509 certificate + RSA key signing the server's random
};

enum class TlsVerify {
    ca_file,      // verify the chain against tls.ca_file (and the host name unless tls.check_hostname=false)
    fingerprint,  // pin the SHA-256 of the server certificate (DER)
    insecure,     // accept any certificate (opt-in, logged loudly)
    tofu,         // trust on first use: the host records the first SHA-256 and requires it afterwards
};

enum class RouteMode { split, full };

enum class ProxyType {
    none,
    http,    // HTTP CONNECT, Basic credentials when proxy_username is set
    socks5,  // SOCKS5, username/password (RFC 1929) when proxy_username is set
};

// The words the profile TOML (and the daemon's profile view) use for each mode.
constexpr std::string_view auth_method_name(AuthMethod method) noexcept {
    switch (method) {
        case AuthMethod::anonymous:
            return "anonymous";
        case AuthMethod::password:
            return "password";
        case AuthMethod::password_hash:
            return "password_hash";
        case AuthMethod::plain_password:
            return "plain";
        case AuthMethod::certificate:
            return "certificate";
    }
    return "password";
}
constexpr std::string_view tls_verify_name(TlsVerify verify) noexcept {
    switch (verify) {
        case TlsVerify::ca_file:
            return "ca";
        case TlsVerify::fingerprint:
            return "fingerprint";
        case TlsVerify::insecure:
            return "insecure";
        case TlsVerify::tofu:
            return "tofu";
    }
    return "fingerprint";
}
constexpr std::string_view proxy_type_name(ProxyType type) noexcept {
    return type == ProxyType::http ? "http" : type == ProxyType::socks5 ? "socks5" : "none";
}
constexpr std::string_view route_mode_name(RouteMode mode) noexcept {
    return mode == RouteMode::full ? "full" : "split";
}
// "AB:CD:...": upper-case hex with colons, as tls.fingerprint is written and shown.
inline std::string fingerprint_text(const std::array<std::uint8_t, 32>& sha256) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < sha256.size(); ++i) {
        if (i)
            out += ':';
        out += kHex[sha256[i] >> 4];
        out += kHex[sha256[i] & 15];
    }
    return out;
}

struct Profile {
    std::string name;  // file stem; [a-zA-Z0-9_-]{1,32}

    // [server]
    std::string host;
    std::uint16_t port = 443;
    std::string hub;

    // [auth]
    std::string username;
    AuthMethod auth_method = AuthMethod::password;
    std::string password;                                       // password / plain_password; never logged
    std::optional<std::array<std::uint8_t, 20>> password_hash;  // password_hash
    // certificate: PEM or DER files, read at each connect; or the bytes themselves (C API), which win.
    std::string cert_file;
    std::string key_file;  // unencrypted; the file must be readable by root only (vpnsed)
    std::string cert_data;
    std::string key_data;  // never logged

    // [tls]
    TlsVerify tls_verify = TlsVerify::fingerprint;
    std::string ca_file;
    std::array<std::uint8_t, 32> pinned_sha256{};  // tls_verify == fingerprint
    std::string sni;                               // default: host
    bool check_hostname = true;

    // [proxy]: every TCP connection of the session goes through it
    ProxyType proxy_type = ProxyType::none;
    std::string proxy_host;
    std::uint16_t proxy_port = 0;
    std::string proxy_username;
    std::string proxy_password;  // never logged

    // [session]
    std::uint32_t max_connections = 1;  // 1..32
    bool half_connection = false;
    bool use_encrypt = true;  // false only with allow_unencrypted
    bool allow_unencrypted = false;
    bool compression = false;
    // Offer SoftEther's UDP fast path (softether-protocol-advanced.md 1), on like the official client's:
    // over UDP the tunnel's own TCP flows do not stack on the session's TCP (no meltdown on lossy links),
    // and data falls back to TCP by itself whenever UDP does not work.
    bool udp_acceleration = true;

    // [network]
    RouteMode route_mode = RouteMode::split;
    std::vector<std::string> include_routes;  // CIDRs
    std::vector<std::string> exclude_routes;  // CIDRs
    bool dns = true;
    bool kill_switch = false;
    std::uint32_t mtu = 1400;  // 576..1500 (TUN MTU; hub frames stay <= 1514)
    bool ipv6 = true;
    std::string mac;  // "5e:..": empty = generated once and persisted by the host

    // [reconnect]
    bool reconnect = true;
    std::uint32_t reconnect_initial_ms = 1000;
    std::uint32_t reconnect_max_ms = 60000;
    // Failed attempts in a row before giving up (0: never); the count starts again at each established
    // session, as the official client's NumRetry does.
    std::uint32_t reconnect_max_attempts = 0;

    bool autoconnect = false;

    // Every field, so that a field added later cannot be forgotten (the daemon's reload keeps a
    // connected tunnel only when its profile compares equal).
    friend bool operator==(const Profile&, const Profile&) = default;
};

}  // namespace vpnse
