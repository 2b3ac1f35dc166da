#pragma once
// A Profile as the TOML text profile_parser.hpp reads back to the same Profile (round trip): what
// importing an account file writes into the profile directory. Keys at their defaults are left out, so a
// written profile reads like a hand-written one.
#include <string>
#include <string_view>

#include "vpnse/profile.hpp"

namespace vpnse {

std::string profile_to_toml(const Profile& profile);

}  // namespace vpnse
