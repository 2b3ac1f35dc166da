// vpnse/ip.hpp, with the text forms of the endpoint's own address types (no OS parser: the same on
// every platform).
#include "vpnse/ip.hpp"

#include <algorithm>
#include <charconv>

#include "core/bytes.hpp"
#include "ether/addresses.hpp"

namespace vpnse {

IpAddress IpAddress::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    const std::uint8_t raw[4] = {a, b, c, d};
    return from_bytes(IpFamily::v4, raw);
}

IpAddress IpAddress::from_bytes(IpFamily family, const std::uint8_t* bytes) {
    IpAddress out;
    out.family_ = family;
    std::copy_n(bytes, out.byte_length(), out.bytes_.begin());
    return out;
}

Result<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.find(':') == std::string_view::npos) {
        if (auto v4 = ether::Ipv4Address::parse(text))
            return ether::to_ip_address(*v4);
    } else if (auto v6 = ether::Ipv6Address::parse(text)) {
        return ether::to_ip_address(*v6);
    }
    return Error(ErrorCode::invalid_argument, "not an IP address: '" + std::string(text) + "'");
}

bool IpAddress::bit(int index) const noexcept {
    return (bytes_[static_cast<std::size_t>(index / 8)] >> (7 - index % 8)) & 1U;
}

IpAddress IpAddress::with_bit(int index, bool value) const noexcept {
    IpAddress out = *this;
    const auto mask = static_cast<std::uint8_t>(1U << (7 - index % 8));
    auto& byte = out.bytes_[static_cast<std::size_t>(index / 8)];
    byte = value ? static_cast<std::uint8_t>(byte | mask) : static_cast<std::uint8_t>(byte & ~mask);
    return out;
}

IpAddress IpAddress::masked(int prefix) const noexcept {
    IpAddress out = *this;
    for (int i = std::max(prefix, 0); i < bit_length(); ++i)
        out = out.with_bit(i, false);
    return out;
}

std::string IpAddress::to_string() const {
    if (is_v4())
        return ether::Ipv4Address(load_be32(bytes_.data())).to_string();
    ether::Ipv6Address v6;
    v6.bytes = bytes_;
    return v6.to_string();
}

Result<Cidr> Cidr::parse(std::string_view text) {
    const auto slash = text.find('/');
    auto address = IpAddress::parse(text.substr(0, slash));
    if (!address)
        return std::move(address).error();
    if (slash == std::string_view::npos)
        return Cidr::host(*address);
    const auto digits = text.substr(slash + 1);
    int prefix = -1;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > address->bit_length())
        return Error(ErrorCode::invalid_argument, "bad prefix length in '" + std::string(text) + "'");
    return Cidr{*address, prefix};
}

Cidr Cidr::any(IpFamily family) {
    const std::uint8_t zero[16] = {};
    return Cidr{IpAddress::from_bytes(family, zero), 0};
}

bool Cidr::contains(const IpAddress& other) const noexcept {
    return other.family() == family() && other.masked(prefix) == address.masked(prefix);
}

bool Cidr::contains(const Cidr& other) const noexcept {
    return other.family() == family() && other.prefix >= prefix && contains(other.address);
}

std::string Cidr::to_string() const {
    return address.to_string() + "/" + std::to_string(prefix);
}

}  // namespace vpnse

namespace vpnse::ether {

IpAddress to_ip_address(Ipv4Address address) {
    std::uint8_t bytes[4];
    store_be32(bytes, address.value);
    return IpAddress::from_bytes(IpFamily::v4, bytes);
}

IpAddress to_ip_address(const Ipv6Address& address) {
    return IpAddress::from_bytes(IpFamily::v6, address.bytes.data());
}

}  // namespace vpnse::ether
