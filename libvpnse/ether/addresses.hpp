#pragma once
// Link-layer and IP address value types used by the virtual Ethernet endpoint.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/random.hpp"
#include "vpnse/ip.hpp"

namespace vpnse::ether {

struct MacAddress {
    std::array<std::uint8_t, 6> bytes{};

    static constexpr MacAddress broadcast() { return {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
    bool is_zero() const { return bytes == std::array<std::uint8_t, 6>{}; }
    bool is_broadcast() const { return *this == broadcast(); }
    // Group bit: broadcast and every multicast address.
    bool is_multicast() const { return (bytes[0] & 0x01) != 0; }
    bool is_locally_administered() const { return (bytes[0] & 0x02) != 0; }
    // The hub's own MACs, 00:AE:xx:xx:xx:xx (softether-protocol.md 13, IsHubMacAddress).
    bool is_hub_mac() const { return bytes[0] == 0x00 && bytes[1] == 0xae; }
    // "5e:01:02:03:04:05" (lower case).
    std::string to_string() const;
    // Accepts ':' or '-' separated hex pairs, or 12 bare hex digits.
    static std::optional<MacAddress> parse(std::string_view text);

    friend bool operator==(const MacAddress&, const MacAddress&) = default;
};

// A locally administered unicast MAC with the official client's 5E prefix (softether-protocol.md 13;
// SoftEther Virtual.c GenMacAddress). Never 00:AE (reserved by the hub). The host stores it per profile.
MacAddress generate_mac(RandomSource& rng);

struct Ipv4Address {
    std::uint32_t value = 0;  // host order

    constexpr Ipv4Address() = default;
    constexpr explicit Ipv4Address(std::uint32_t v) : value(v) {}
    static constexpr Ipv4Address from_octets(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
        return Ipv4Address{(std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d};
    }
    static constexpr Ipv4Address limited_broadcast() { return Ipv4Address{0xffffffffu}; }
    bool is_zero() const { return value == 0; }
    bool is_limited_broadcast() const { return value == 0xffffffffu; }
    bool is_multicast() const { return (value >> 28) == 0xe; }
    std::string to_string() const;
    static std::optional<Ipv4Address> parse(std::string_view text);

    friend auto operator<=>(const Ipv4Address&, const Ipv4Address&) = default;
};

// Netmask for a prefix length 0..32.
constexpr std::uint32_t prefix_mask(std::uint8_t prefix_length) {
    return prefix_length == 0 ? 0u : prefix_length >= 32 ? 0xffffffffu : ~((1u << (32 - prefix_length)) - 1);
}
// Prefix length of a contiguous netmask, or nullopt when the mask has holes.
std::optional<std::uint8_t> mask_to_prefix(std::uint32_t mask);

struct Ipv6Address {
    std::array<std::uint8_t, 16> bytes{};

    bool is_zero() const { return bytes == std::array<std::uint8_t, 16>{}; }
    bool is_multicast() const { return bytes[0] == 0xff; }
    bool is_link_local() const { return bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80; }
    // RFC 5952 text form (lower case, longest zero run compressed).
    std::string to_string() const;
    static std::optional<Ipv6Address> parse(std::string_view text);

    friend auto operator<=>(const Ipv6Address&, const Ipv6Address&) = default;
};

// fe80::/64 with the modified EUI-64 interface identifier of `mac` (RFC 4291 appendix A).
Ipv6Address link_local_from_mac(const MacAddress& mac);
// prefix (first 64 bits) + EUI-64 interface identifier of `mac` (RFC 4862 5.5.3).
Ipv6Address slaac_address(const Ipv6Address& prefix, const MacAddress& mac);
// ff02::1:ffXX:XXXX for `address` (RFC 4291 2.7.1).
Ipv6Address solicited_node(const Ipv6Address& address);
// 33:33 + last four bytes (RFC 2464 7) and 01:00:5e + low 23 bits (RFC 1112 6.4).
MacAddress multicast_mac(const Ipv6Address& group);
MacAddress multicast_mac(Ipv4Address group);
// True when the first `prefix_length` bits of a and b agree.
bool same_prefix(const Ipv6Address& a, const Ipv6Address& b, std::uint8_t prefix_length);

// The same address as the value the client hands its host (vpnse/ip.hpp; implemented in ip.cpp).
IpAddress to_ip_address(Ipv4Address address);
IpAddress to_ip_address(const Ipv6Address& address);

}  // namespace vpnse::ether
