#pragma once
// Profile names <-> tunnel object paths. A path element may only hold [A-Za-z0-9_], so every other byte
// (and "_" itself, to keep the mapping one-to-one) is written as _xx in lower-case hex, the encoding
// sd_bus_path_encode uses; "office-vpn" is /org/vpnse/Tunnel/office_2dvpn.
#include <optional>
#include <string>
#include <string_view>

namespace vpnsed::dbus {

std::string escape_path_element(std::string_view name);
// nullopt unless `element` is exactly what escape_path_element writes.
std::optional<std::string> unescape_path_element(std::string_view element);

std::string tunnel_path(std::string_view profile_name);
// The profile name of a tunnel object path; nullopt for any other path.
std::optional<std::string> profile_of_path(std::string_view path);

}  // namespace vpnsed::dbus
