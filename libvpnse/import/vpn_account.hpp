#pragma once
// The official client's account files (.vpn: what vpncmd AccountExport and the Windows connection
// manager write) as a vpnse Profile, with a note for everything that was not carried over or changed
// meaning, so an import never drops a setting silently. docs/configuration.md, "Importing .vpn files".
#include <string>
#include <string_view>
#include <vector>

#include "vpnse/profile.hpp"
#include "vpnse/result.hpp"

namespace vpnse::import {

struct VpnAccount {
    Profile profile;
    std::string account_name;        // the official client's name for it
    std::vector<std::string> notes;  // "tls.verify = insecure: the account did not check ...", ...
};

// `profile_name` empty: taken from the account's name (made a valid profile name). Errors name the
// source and the account key ("office.vpn: ClientOption.Hostname: missing"); the resulting profile is
// one the profile parser accepts. A certificate account (AuthType 3) comes back with the certificate and
// key as DER in profile.cert_data / key_data and no files: the caller stores them (store_certificate_files)
// before the profile is written.
Result<VpnAccount> import_vpn_account(std::string_view text, std::string_view source,
                                      std::string_view profile_name);

// A valid profile name ([a-zA-Z0-9_-]{1,32}) from any text: other characters become '-'.
std::string profile_name_from(std::string_view text);

}  // namespace vpnse::import
