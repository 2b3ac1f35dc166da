#include "core/base64.hpp"

namespace vpnse {
namespace {

int sextet(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
    std::vector<std::uint8_t> out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t accumulator = 0;
    int filled = 0;   // sextets in the current quantum
    int padding = 0;  // '=' seen; after the first one only '=' and whitespace may follow
    for (char c : text) {
        if (is_space(c))
            continue;
        if (c == '=') {
            // Padding may only complete a quantum that already has 2 or 3 sextets.
            if (filled + padding < 2)
                return std::nullopt;
            ++padding;
            if (filled + padding > 4)
                return std::nullopt;
            continue;
        }
        if (padding > 0)
            return std::nullopt;
        const int value = sextet(c);
        if (value < 0)
            return std::nullopt;
        accumulator = (accumulator << 6) | static_cast<std::uint32_t>(value);
        if (++filled == 4) {
            out.push_back(static_cast<std::uint8_t>(accumulator >> 16));
            out.push_back(static_cast<std::uint8_t>(accumulator >> 8));
            out.push_back(static_cast<std::uint8_t>(accumulator));
            accumulator = 0;
            filled = 0;
        }
    }
    if (padding > 0 && filled + padding != 4)
        return std::nullopt;
    if (filled == 1)
        return std::nullopt;
    // RFC 4648 section 3.5: the unused low bits of the last quantum must be zero (canonical encoding).
    if (filled == 2) {
        if (accumulator & 0xf)
            return std::nullopt;
        out.push_back(static_cast<std::uint8_t>(accumulator >> 4));
    } else if (filled == 3) {
        if (accumulator & 0x3)
            return std::nullopt;
        out.push_back(static_cast<std::uint8_t>(accumulator >> 10));
        out.push_back(static_cast<std::uint8_t>(accumulator >> 2));
    }
    return out;
}

std::string base64_encode(std::span<const std::uint8_t> bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string text;
    text.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const bool has_second = i + 1 < bytes.size();
        const bool has_third = i + 2 < bytes.size();
        const std::uint32_t chunk = (std::uint32_t{bytes[i]} << 16) |
                                    (has_second ? std::uint32_t{bytes[i + 1]} << 8 : 0) |
                                    (has_third ? std::uint32_t{bytes[i + 2]} : 0);
        text += kAlphabet[(chunk >> 18) & 63];
        text += kAlphabet[(chunk >> 12) & 63];
        text += has_second ? kAlphabet[(chunk >> 6) & 63] : '=';
        text += has_third ? kAlphabet[chunk & 63] : '=';
    }
    return text;
}

}  // namespace vpnse
