#pragma once
// Setting one key of a profile's TOML text, for hosts that build a profile key by key (vpnse.h
// vpnse_config_set_*) instead of writing TOML. The result is TOML text again, so parse_profile stays the
// one place that validates a profile.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "vpnse/result.hpp"

namespace vpnse {

using ProfileValue = std::variant<std::string, std::int64_t, bool>;

// `key` is a dotted path of bare keys ("server.host", "autoconnect"); tables on the way are created.
// Errors (config_invalid): `toml_text` is not TOML, a key part is empty or not [A-Za-z0-9_-], or a part
// on the way is a value rather than a table.
Result<std::string> set_profile_key(std::string_view toml_text, std::string_view key,
                                    const ProfileValue& value);

// Removes `key` (a value or a whole table such as "proxy"); a key that is not there is no error.
Result<std::string> remove_profile_key(std::string_view toml_text, std::string_view key);

}  // namespace vpnse
