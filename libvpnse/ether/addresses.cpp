#include "ether/addresses.hpp"

#include <charconv>
#include <cstdio>

namespace vpnse::ether {

std::string MacAddress::to_string() const {
    char text[18];
    std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2], bytes[3],
                  bytes[4], bytes[5]);
    return text;
}

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
    MacAddress mac;
    std::size_t pos = 0;
    const bool separated = text.size() == 17;
    if (!separated && text.size() != 12)
        return std::nullopt;
    for (std::size_t i = 0; i < 6; ++i) {
        if (separated && i > 0) {
            if (text[pos] != ':' && text[pos] != '-')
                return std::nullopt;
            ++pos;
        }
        const int hi = hex_digit_value(text[pos]);
        const int lo = hex_digit_value(text[pos + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        mac.bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
        pos += 2;
    }
    return mac;
}

MacAddress generate_mac(RandomSource& rng) {
    MacAddress mac;
    mac.bytes[0] = 0x5e;  // 0101 1110: locally administered, unicast
    rng.fill(std::span<std::uint8_t>(mac.bytes).subspan(1));
    return mac;
}

std::string Ipv4Address::to_string() const {
    char text[16];
    std::snprintf(text, sizeof text, "%u.%u.%u.%u", (value >> 24) & 0xff, (value >> 16) & 0xff,
                  (value >> 8) & 0xff, value & 0xff);
    return text;
}

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
    std::uint32_t result = 0;
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (int i = 0; i < 4; ++i) {
        if (i > 0) {
            if (p == end || *p != '.')
                return std::nullopt;
            ++p;
        }
        if (p == end || *p < '0' || *p > '9')
            return std::nullopt;
        unsigned octet = 0;
        auto [next, ec] = std::from_chars(p, end, octet);
        if (ec != std::errc{} || octet > 255 || next - p > 3)
            return std::nullopt;
        p = next;
        result = (result << 8) | octet;
    }
    if (p != end)
        return std::nullopt;
    return Ipv4Address{result};
}

std::optional<std::uint8_t> mask_to_prefix(std::uint32_t mask) {
    for (std::uint8_t len = 0; len <= 32; ++len)
        if (prefix_mask(len) == mask)
            return len;
    return std::nullopt;
}

std::string Ipv6Address::to_string() const {
    std::uint16_t words[8];
    for (int i = 0; i < 8; ++i)
        words[i] = static_cast<std::uint16_t>((bytes[2 * i] << 8) | bytes[2 * i + 1]);
    // Longest run of at least two zero words (RFC 5952 4.2).
    int best_start = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        if (words[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && words[j] == 0)
            ++j;
        if (j - i > best_len && j - i >= 2) {
            best_start = i;
            best_len = j - i;
        }
        i = j;
    }
    std::string out;
    char part[8];
    for (int i = 0; i < 8; ++i) {
        if (i == best_start) {
            out += "::";
            i += best_len - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':')
            out += ':';
        std::snprintf(part, sizeof part, "%x", words[i]);
        out += part;
    }
    return out;
}

std::optional<Ipv6Address> Ipv6Address::parse(std::string_view text) {
    // Split on "::" at most once; each side is a list of 1..4 digit hex groups.
    auto parse_groups = [](std::string_view s, std::uint16_t* out, int& count) {
        count = 0;
        if (s.empty())
            return true;
        std::size_t start = 0;
        while (true) {
            std::size_t colon = s.find(':', start);
            std::string_view group =
                s.substr(start, colon == std::string_view::npos ? s.npos : colon - start);
            if (group.empty() || group.size() > 4 || count >= 8)
                return false;
            unsigned v = 0;
            for (char c : group) {
                const int h = hex_digit_value(c);
                if (h < 0)
                    return false;
                v = v * 16 + static_cast<unsigned>(h);
            }
            out[count++] = static_cast<std::uint16_t>(v);
            if (colon == std::string_view::npos)
                return true;
            start = colon + 1;
        }
    };
    std::uint16_t head[8], tail[8];
    int head_count = 0, tail_count = 0;
    const std::size_t gap = text.find("::");
    if (gap == std::string_view::npos) {
        if (!parse_groups(text, head, head_count) || head_count != 8)
            return std::nullopt;
    } else {
        if (text.find("::", gap + 1) != std::string_view::npos)
            return std::nullopt;
        if (!parse_groups(text.substr(0, gap), head, head_count) ||
            !parse_groups(text.substr(gap + 2), tail, tail_count) || head_count + tail_count > 7)
            return std::nullopt;
    }
    Ipv6Address address;
    for (int i = 0; i < head_count; ++i)
        store_be16(&address.bytes[2 * i], head[i]);
    for (int i = 0; i < tail_count; ++i)
        store_be16(&address.bytes[16 - 2 * (tail_count - i)], tail[i]);
    return address;
}

Ipv6Address slaac_address(const Ipv6Address& prefix, const MacAddress& mac) {
    Ipv6Address address;
    for (int i = 0; i < 8; ++i)
        address.bytes[i] = prefix.bytes[i];
    address.bytes[8] = static_cast<std::uint8_t>(mac.bytes[0] ^ 0x02);  // flip the U/L bit
    address.bytes[9] = mac.bytes[1];
    address.bytes[10] = mac.bytes[2];
    address.bytes[11] = 0xff;
    address.bytes[12] = 0xfe;
    address.bytes[13] = mac.bytes[3];
    address.bytes[14] = mac.bytes[4];
    address.bytes[15] = mac.bytes[5];
    return address;
}

Ipv6Address link_local_from_mac(const MacAddress& mac) {
    Ipv6Address prefix;
    prefix.bytes[0] = 0xfe;
    prefix.bytes[1] = 0x80;
    return slaac_address(prefix, mac);
}

Ipv6Address solicited_node(const Ipv6Address& address) {
    Ipv6Address group;
    group.bytes[0] = 0xff;
    group.bytes[1] = 0x02;
    group.bytes[11] = 0x01;
    group.bytes[12] = 0xff;
    group.bytes[13] = address.bytes[13];
    group.bytes[14] = address.bytes[14];
    group.bytes[15] = address.bytes[15];
    return group;
}

MacAddress multicast_mac(const Ipv6Address& group) {
    return {{0x33, 0x33, group.bytes[12], group.bytes[13], group.bytes[14], group.bytes[15]}};
}

MacAddress multicast_mac(Ipv4Address group) {
    return {{0x01, 0x00, 0x5e, static_cast<std::uint8_t>((group.value >> 16) & 0x7f),
             static_cast<std::uint8_t>(group.value >> 8), static_cast<std::uint8_t>(group.value)}};
}

bool same_prefix(const Ipv6Address& a, const Ipv6Address& b, std::uint8_t prefix_length) {
    const unsigned bits = prefix_length > 128 ? 128 : prefix_length;
    const unsigned whole = bits / 8;
    for (unsigned i = 0; i < whole; ++i)
        if (a.bytes[i] != b.bytes[i])
            return false;
    const unsigned rest = bits % 8;
    if (rest == 0)
        return true;
    const std::uint8_t mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    return (a.bytes[whole] & mask) == (b.bytes[whole] & mask);
}

}  // namespace vpnse::ether
