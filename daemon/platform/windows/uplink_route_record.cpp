#include "platform/windows/uplink_route_record.hpp"

#include <charconv>

namespace vpnse::platform::windows {
namespace {

// The next space-separated word of `line` (empty at its end).
std::string_view next_word(std::string_view& line) {
    const auto start = line.find_first_not_of(' ');
    if (start == std::string_view::npos) {
        line = {};
        return {};
    }
    line.remove_prefix(start);
    const auto end = std::min(line.find(' '), line.size());
    const auto word = line.substr(0, end);
    line.remove_prefix(end);
    return word;
}

Result<UplinkRoute> parse_line(std::string_view line, std::size_t number) {
    auto bad = [&](const std::string& what) {
        return Error(ErrorCode::invalid_argument,
                     "uplink route record line " + std::to_string(number) + ": " + what);
    };
    UplinkRoute route;
    const auto luid = next_word(line);
    const auto [end, ec] = std::from_chars(luid.data(), luid.data() + luid.size(), route.interface_luid);
    if (ec != std::errc{} || end != luid.data() + luid.size() || luid.empty())
        return bad("interface LUID '" + std::string(luid) + "' is not a number");
    const auto destination = next_word(line);
    auto cidr = Cidr::parse(destination);
    if (!cidr)
        return bad("destination '" + std::string(destination) + "' is not a prefix");
    route.destination = *cidr;
    const auto next_hop = next_word(line);
    auto hop = IpAddress::parse(next_hop);
    if (!hop || hop->family() != cidr->family())
        return bad("next hop '" + std::string(next_hop) + "' is not an address of the destination's family");
    route.next_hop = *hop;
    if (!next_word(line).empty())
        return bad("more than three fields");
    return route;
}

}  // namespace

std::string uplink_record_text(const std::vector<UplinkRoute>& routes) {
    std::string text;
    for (const auto& route : routes)
        text += std::to_string(route.interface_luid) + ' ' + route.destination.to_string() + ' ' +
                route.next_hop.to_string() + '\n';
    return text;
}

Result<std::vector<UplinkRoute>> parse_uplink_record(std::string_view text) {
    std::vector<UplinkRoute> routes;
    std::size_t number = 0;
    while (!text.empty()) {
        const auto end = std::min(text.find('\n'), text.size());
        auto line = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        ++number;
        if (line.find_first_not_of(" \r") == std::string_view::npos)
            continue;
        if (line.back() == '\r')
            line.remove_suffix(1);
        if (routes.size() == kUplinkRecordMaxRoutes)
            return Error(ErrorCode::limit_exceeded, "uplink route record: more than " +
                                                        std::to_string(kUplinkRecordMaxRoutes) + " routes");
        auto route = parse_line(line, number);
        if (!route)
            return route.error();
        routes.push_back(*route);
    }
    return routes;
}

}  // namespace vpnse::platform::windows
