#include "platform/ip.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace vpnse::platform {

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
    // inet_pton needs a terminated string and rejects anything longer than an IPv6 literal anyway.
    if (text.empty() || text.size() > INET6_ADDRSTRLEN)
        return Error(ErrorCode::invalid_argument, "not an IP address: '" + std::string(text) + "'");
    const std::string z(text);
    std::uint8_t buf[16] = {};
    if (z.find(':') == std::string::npos) {
        if (inet_pton(AF_INET, z.c_str(), buf) == 1)
            return from_bytes(IpFamily::v4, buf);
    } else if (inet_pton(AF_INET6, z.c_str(), buf) == 1) {
        return from_bytes(IpFamily::v6, buf);
    }
    return Error(ErrorCode::invalid_argument, "not an IP address: '" + z + "'");
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
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
    return buf;
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

namespace {

// Splits `net` in halves until no piece straddles an exclude boundary. Depth is bounded by the
// address length, and only pieces on an exclude's edge are split further.
void subtract_one(const Cidr& net, const std::vector<Cidr>& exclude, std::vector<Cidr>& out) {
    bool partial = false;
    for (const auto& ex : exclude) {
        if (ex.contains(net))
            return;
        if (net.contains(ex))
            partial = true;
    }
    if (!partial) {
        out.push_back(net);
        return;
    }
    const int next = net.prefix + 1;
    subtract_one(Cidr{net.address.with_bit(net.prefix, false), next}, exclude, out);
    subtract_one(Cidr{net.address.with_bit(net.prefix, true), next}, exclude, out);
}

}  // namespace

std::vector<Cidr> subtract_cidrs(const std::vector<Cidr>& include, const std::vector<Cidr>& exclude) {
    std::vector<Cidr> normalized_ex;
    for (const auto& ex : exclude)
        normalized_ex.push_back(ex.network());
    std::vector<Cidr> pieces;
    for (const auto& in : include)
        subtract_one(in.network(), normalized_ex, pieces);
    std::sort(pieces.begin(), pieces.end());
    pieces.erase(std::unique(pieces.begin(), pieces.end()), pieces.end());
    // Drop pieces covered by a broader piece (overlapping includes).
    std::vector<Cidr> out;
    for (const auto& piece : pieces) {
        const bool covered = std::any_of(pieces.begin(), pieces.end(), [&](const Cidr& other) {
            return other != piece && other.contains(piece);
        });
        if (!covered)
            out.push_back(piece);
    }
    return out;
}

}  // namespace vpnse::platform
