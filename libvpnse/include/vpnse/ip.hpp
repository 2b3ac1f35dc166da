#pragma once
// IP addresses and prefixes as values: what the client tells its host about the tunnel's network, and
// what every platform interface of vpnsed takes. No OS headers.
#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "vpnse/result.hpp"

namespace vpnse {

enum class IpFamily : std::uint8_t { v4 = 4, v6 = 6 };

class IpAddress {
  public:
    // 0.0.0.0
    IpAddress() = default;
    static IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
    // Network byte order; v4 uses the first 4 bytes of `bytes`.
    static IpAddress from_bytes(IpFamily family, const std::uint8_t* bytes);
    // Dotted quad or RFC 4291/5952 text; no zone ids, no brackets.
    static Result<IpAddress> parse(std::string_view text);

    IpFamily family() const noexcept { return family_; }
    bool is_v4() const noexcept { return family_ == IpFamily::v4; }
    int bit_length() const noexcept { return is_v4() ? 32 : 128; }
    std::size_t byte_length() const noexcept { return is_v4() ? 4 : 16; }
    // Network byte order, byte_length() significant bytes, the rest zero.
    const std::array<std::uint8_t, 16>& bytes() const noexcept { return bytes_; }
    bool bit(int index) const noexcept;
    IpAddress with_bit(int index, bool value) const noexcept;
    // Keeps the first `prefix` bits, zeroes the rest.
    IpAddress masked(int prefix) const noexcept;
    std::string to_string() const;

    friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
    friend bool operator==(const IpAddress&, const IpAddress&) = default;

  private:
    IpFamily family_ = IpFamily::v4;
    std::array<std::uint8_t, 16> bytes_{};
};

// An address with a prefix length. As an interface address it keeps its host bits
// ("10.8.0.2/24"); as a route destination use network().
struct Cidr {
    IpAddress address;
    int prefix = 0;

    // "10.0.0.0/8", "fd00::/64"; a bare address is a host route (/32 or /128).
    static Result<Cidr> parse(std::string_view text);
    static Cidr host(const IpAddress& address) { return Cidr{address, address.bit_length()}; }
    static Cidr any(IpFamily family);

    IpFamily family() const noexcept { return address.family(); }
    Cidr network() const { return Cidr{address.masked(prefix), prefix}; }
    bool contains(const IpAddress& other) const noexcept;
    // True when every address of `other` is inside this prefix.
    bool contains(const Cidr& other) const noexcept;
    bool overlaps(const Cidr& other) const noexcept { return contains(other) || other.contains(*this); }
    std::string to_string() const;

    friend auto operator<=>(const Cidr&, const Cidr&) = default;
    friend bool operator==(const Cidr&, const Cidr&) = default;
};

}  // namespace vpnse
