#include "dbus/profile_dict.hpp"

#include "protocol/messages.hpp"

namespace vpnsed::dbus {
namespace {

using nlohmann::json;

sdbus::Variant leaf(const json& value) {
    if (value.is_boolean())
        return sdbus::Variant(value.get<bool>());
    if (value.is_number_unsigned())
        return sdbus::Variant(value.get<std::uint64_t>());
    if (value.is_number_integer())
        return sdbus::Variant(value.get<std::int64_t>());
    if (value.is_number_float())
        return sdbus::Variant(value.get<double>());
    if (value.is_string())
        return sdbus::Variant(value.get<std::string>());
    if (value.is_array() &&
        std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); }))
        return sdbus::Variant(value.get<std::vector<std::string>>());
    return sdbus::Variant(value.dump());  // anything richer: its JSON text
}

void flatten(const json& value, const std::string& prefix, std::map<std::string, sdbus::Variant>& out) {
    if (!value.is_object()) {
        out.emplace(prefix, leaf(value));
        return;
    }
    for (const auto& [key, member] : value.items())
        flatten(member, prefix.empty() ? key : prefix + "." + key, out);
}

}  // namespace

std::map<std::string, sdbus::Variant> profile_dict(const protocol::ProfileView& profile) {
    std::map<std::string, sdbus::Variant> out;
    flatten(protocol::profile_to_json(profile), "", out);
    return out;
}

}  // namespace vpnsed::dbus
