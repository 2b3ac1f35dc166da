#include "profile/address.hpp"

#include <cctype>
#include <cstddef>

namespace vpnse::profile {
namespace {

bool is_hex(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Parses a decimal number without sign or leading zeros (except "0") that is at most `max`.
bool parse_decimal(std::string_view text, unsigned max, unsigned& out) {
    if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0'))
        return false;
    unsigned value = 0;
    for (char c : text) {
        if (!is_digit(c))
            return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > max)
        return false;
    out = value;
    return true;
}

}  // namespace

bool is_ipv4_address(std::string_view text) {
    int parts = 0;
    while (true) {
        const auto dot = text.find('.');
        unsigned octet = 0;
        if (!parse_decimal(text.substr(0, dot), 255, octet))
            return false;
        ++parts;
        if (dot == std::string_view::npos)
            break;
        text.remove_prefix(dot + 1);
    }
    return parts == 4;
}

bool is_ipv6_address(std::string_view text) {
    // RFC 4291 section 2.2: up to eight 16-bit hex groups, one "::" for a run of zero groups, and an
    // optional dotted IPv4 tail that counts as two groups.
    if (text.size() < 2 || text.size() > 45)
        return false;
    const auto gap = text.find("::");
    if (gap != std::string_view::npos && text.find("::", gap + 1) != std::string_view::npos)
        return false;
    auto count_groups = [](std::string_view part, bool allow_ipv4_tail, int& groups) {
        groups = 0;
        if (part.empty())
            return true;
        while (true) {
            const auto colon = part.find(':');
            const auto group = part.substr(0, colon);
            if (colon == std::string_view::npos && allow_ipv4_tail &&
                group.find('.') != std::string_view::npos) {
                if (!is_ipv4_address(group))
                    return false;
                groups += 2;
                return true;
            }
            if (group.empty() || group.size() > 4)
                return false;
            for (char c : group)
                if (!is_hex(c))
                    return false;
            ++groups;
            if (colon == std::string_view::npos)
                return true;
            part.remove_prefix(colon + 1);
        }
    };
    int head = 0, tail = 0;
    if (gap == std::string_view::npos) {
        return count_groups(text, true, head) && head == 8;
    }
    if (!count_groups(text.substr(0, gap), false, head) || !count_groups(text.substr(gap + 2), true, tail))
        return false;
    return head + tail <= 7;
}

bool is_cidr(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos)
        return false;
    const auto address = text.substr(0, slash);
    const auto prefix = text.substr(slash + 1);
    unsigned length = 0;
    if (is_ipv4_address(address))
        return parse_decimal(prefix, 32, length);
    if (is_ipv6_address(address))
        return parse_decimal(prefix, 128, length);
    return false;
}

bool is_mac_address(std::string_view text) {
    if (text.size() != 17)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i % 3 == 2) {
            if (text[i] != ':')
                return false;
        } else if (!is_hex(text[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace vpnse::profile
