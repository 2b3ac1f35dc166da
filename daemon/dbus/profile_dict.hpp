#pragma once
// GetProfile's answer, a{sv}: the profile as JSON-RPC's profiles.get shows it (protocol/messages.hpp,
// secrets already taken out), flattened to dotted keys ("server.host" -> "vpn.example.com").
#include <sdbus-c++/Types.h>
#include <map>
#include <string>

#include "protocol/schema.hpp"

namespace vpnsed::dbus {

std::map<std::string, sdbus::Variant> profile_dict(const protocol::ProfileView& profile);

}  // namespace vpnsed::dbus
