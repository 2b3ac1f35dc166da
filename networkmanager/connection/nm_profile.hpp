#pragma once
// A NetworkManager VPN connection (vpn.data, vpn.secrets) as a vpnse Profile. The keys are NM's flat
// names (docs/networkmanager.md); each stands for one profile key, so the profile parser's validation
// and messages are the same as for a TOML file, with the NM key named in the message.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "vpnse/profile.hpp"
#include "vpnse/result.hpp"

namespace vpnse::nm {

struct NmVpnSettings {
    std::string id;    // connection.id, for messages
    std::string uuid;  // connection.uuid, names the tunnel
    std::map<std::string, std::string> data;
    std::map<std::string, std::string> secrets;
};

// One vpn.data / vpn.secrets key and the profile key it sets.
struct NmKey {
    std::string_view nm_name;    // "max-connections"
    std::string_view toml_path;  // "session.max_connections"
    enum Kind { text, integer, boolean } kind;
    bool secret;
};
const std::vector<NmKey>& nm_keys();
const NmKey* nm_key_named(std::string_view nm_name);       // null: not a key of ours
const NmKey* nm_key_for_path(std::string_view toml_path);  // null: the profile key has no NM setting

// config_invalid naming the NM key ("vpn.data: max-connections: must be between 1 and 32 (got 40)").
Result<Profile> profile_from_nm(const NmVpnSettings& settings);

// The settings as profile TOML text (typed: numbers and yes/no checked), without validating the profile;
// secrets only when asked.
Result<std::string> nm_toml_text(const NmVpnSettings& settings, bool with_secrets);

// The secrets this connection logs in with: "password" or "password-hash" by the auth method, and
// "proxy-password" when the proxy has a user name.
std::vector<std::string> secrets_used(const NmVpnSettings& settings);

// The first of secrets_used that NM must ask for before Connect, or empty when all are there.
std::string missing_secret(const NmVpnSettings& settings);

// "nm" and the first 9 hex digits of the connection uuid: the tunnel interface is then vse-nm<9 hex>,
// 15 characters, one per connection.
std::string profile_name_for(const std::string& uuid);

}  // namespace vpnse::nm
