#pragma once
// vpnse TOML profiles <-> NetworkManager vpn.data, for the editor plugin's import and export (nmcli
// connection import/export, the GUI editors). Both go through nm_keys(), the one table of what maps.
#include <string>
#include <string_view>

#include "connection/nm_profile.hpp"

namespace vpnse::nm {

// A profile file (validated by the profile parser first) as vpn.data/vpn.secrets. Keys NM itself owns
// (autoconnect, network.dns, network.kill_switch) are left to NM; any other key with no NM equivalent is
// an error naming it, so an import never silently drops a setting.
Result<NmVpnSettings> nm_settings_from_toml(std::string_view text, std::string_view source_name,
                                            std::string_view profile_name);

// vpn.data as a profile file. Secrets are not exported.
Result<std::string> toml_from_nm(const NmVpnSettings& settings);

}  // namespace vpnse::nm
