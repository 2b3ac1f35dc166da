#pragma once
// Syntax checks for the addresses a profile may hold. Pure string checks, no resolver and no OS calls,
// so libvpnse stays portable.
#include <string_view>

namespace vpnse::profile {

bool is_ipv4_address(std::string_view text);
bool is_ipv6_address(std::string_view text);
// "10.0.0.0/8" or "2001:db8::/32": an address and a prefix length that fits its family.
bool is_cidr(std::string_view text);
// "5e:00:12:34:56:78": six hex octets separated by colons.
bool is_mac_address(std::string_view text);

}  // namespace vpnse::profile
