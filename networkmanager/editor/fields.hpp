#pragma once
// The editor page's fields, one per vpn.data/vpn.secrets key (connection/nm_profile.hpp), in page order.
// Plain data so the GTK 3 and GTK 4 pages build the same page.
#include <string_view>
#include <vector>

namespace vpnse::nm {

struct Field {
    std::string_view key;  // vpn.data / vpn.secrets name; also the widget's name
    std::string_view label;
    enum Kind { text, secret, number, flag, choice } kind;
    std::vector<std::string_view> choices = {};  // choice: the values, the first is the default
    int min = 0, max = 0;                        // number
    std::string_view placeholder = {};
    bool on_when_unset = false;  // flag: what the profile does when the connection has no value
};

inline const std::vector<Field>& editor_fields() {
    static const std::vector<Field> fields = {
        {"host", "Server", Field::text, {}, 0, 0, "vpn.example.com"},
        {"port", "Port", Field::number, {}, 1, 65535},
        {"hub", "Virtual hub", Field::text, {}, 0, 0, "DEFAULT"},
        {"auth",
         "Authentication",
         Field::choice,
         {"password", "plain", "password_hash", "certificate", "anonymous"}},
        {"user", "User name", Field::text},
        {"password", "Password", Field::secret},
        {"cert-file", "Certificate file", Field::text, {}, 0, 0, "/etc/vpnse/alice.crt (PEM or DER)"},
        {"key-file", "Private key file", Field::text, {}, 0, 0, "/etc/vpnse/alice.key (unencrypted RSA)"},
        {"verify", "Server certificate", Field::choice, {"fingerprint", "ca", "insecure"}},
        {"fingerprint", "SHA-256 fingerprint", Field::text, {}, 0, 0, "64 hex digits, colons allowed"},
        {"ca-file", "CA file", Field::text, {}, 0, 0, "/etc/ssl/certs/office-ca.pem"},
        {"max-connections", "TCP connections", Field::number, {}, 1, 32},
        {"half-connection", "Half-duplex connections", Field::flag},
        {"compression", "Compression", Field::flag},
        {"udp-acceleration", "UDP acceleration", Field::flag, {}, 0, 0, {}, true},
        {"routes", "Routes", Field::choice, {"split", "full"}},
        {"mtu", "MTU", Field::number, {}, 576, 1500},
    };
    return fields;
}

}  // namespace vpnse::nm
