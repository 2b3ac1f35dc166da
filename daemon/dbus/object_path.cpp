#include "dbus/object_path.hpp"

#include "dbus/names.hpp"

namespace vpnsed::dbus {
namespace {

constexpr std::string_view kHex = "0123456789abcdef";

bool kept_as_is(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int hex_value(char c) {
    const auto at = kHex.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

}  // namespace

std::string escape_path_element(std::string_view name) {
    // An empty element is not a valid path; "_" alone cannot come from a non-empty name.
    if (name.empty())
        return "_";
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        if (kept_as_is(c)) {
            out += c;
            continue;
        }
        const auto byte = static_cast<unsigned char>(c);
        out += '_';
        out += kHex[byte >> 4];
        out += kHex[byte & 0xf];
    }
    return out;
}

std::optional<std::string> unescape_path_element(std::string_view element) {
    if (element == "_")
        return std::string();
    std::string out;
    for (std::size_t i = 0; i < element.size(); ++i) {
        const char c = element[i];
        if (kept_as_is(c)) {
            out += c;
            continue;
        }
        if (c != '_' || i + 2 >= element.size())
            return std::nullopt;
        const int high = hex_value(element[i + 1]), low = hex_value(element[i + 2]);
        if (high < 0 || low < 0)
            return std::nullopt;
        const char decoded = static_cast<char>(high << 4 | low);
        if (kept_as_is(decoded))  // escape_path_element never escapes these: not its output
            return std::nullopt;
        out += decoded;
        i += 2;
    }
    return out;
}

std::string tunnel_path(std::string_view profile_name) {
    return std::string(kTunnelPathPrefix) + escape_path_element(profile_name);
}

std::optional<std::string> profile_of_path(std::string_view path) {
    if (path.substr(0, kTunnelPathPrefix.size()) != kTunnelPathPrefix)
        return std::nullopt;
    const auto element = path.substr(kTunnelPathPrefix.size());
    if (element.empty() || element.find('/') != std::string_view::npos)
        return std::nullopt;
    return unescape_path_element(element);
}

}  // namespace vpnsed::dbus
