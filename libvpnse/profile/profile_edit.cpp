#include "profile/profile_edit.hpp"

#include <sstream>
#include <vector>

#include "profile/toml_section.hpp"

namespace vpnse {
namespace {

bool is_bare_key(std::string_view part) {
    if (part.empty())
        return false;
    for (const char c : part) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

std::vector<std::string> split_key(std::string_view key) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot = key.find('.'); dot != std::string_view::npos; dot = key.find('.', start)) {
        parts.emplace_back(key.substr(start, dot - start));
        start = dot + 1;
    }
    parts.emplace_back(key.substr(start));
    return parts;
}

Error bad_key(std::string_view key, std::string_view why) {
    return Error(ErrorCode::config_invalid, std::string(key) + ": " + std::string(why));
}

}  // namespace

namespace {

std::string to_text(const toml::table& root) {
    std::ostringstream text;
    text << root;
    return text.str();
}

// The table holding the last part of `key`: created on the way when `create`, nullptr when a part on the
// way is missing (and !create). Errors name the key.
Result<toml::table*> parent_table(toml::table& root, std::string_view key,
                                  const std::vector<std::string>& parts, bool create) {
    toml::table* table = &root;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (!is_bare_key(parts[i]))
            return bad_key(key, "not a key (dotted parts of A-Z, a-z, 0-9, _ and -)");
        if (i + 1 == parts.size())
            break;
        if (!create && !table->contains(parts[i]))
            return static_cast<toml::table*>(nullptr);
        // emplace keeps what is there already (a table to descend into, or a value in the way).
        table = table->emplace<toml::table>(parts[i]).first->second.as_table();
        if (table == nullptr)
            return bad_key(key, "'" + parts[i] + "' is a value, not a table");
    }
    return table;
}

}  // namespace

Result<std::string> set_profile_key(std::string_view toml_text, std::string_view key,
                                    const ProfileValue& value) {
    std::optional<Error> error;
    auto root = profile::parse_toml(toml_text, "profile", error);
    if (!root)
        return *error;
    const auto parts = split_key(key);
    auto table = parent_table(*root, key, parts, true);
    if (!table)
        return table.error();
    std::visit([&](const auto& v) { (*table)->insert_or_assign(parts.back(), v); }, value);
    return to_text(*root);
}

Result<std::string> remove_profile_key(std::string_view toml_text, std::string_view key) {
    std::optional<Error> error;
    auto root = profile::parse_toml(toml_text, "profile", error);
    if (!root)
        return *error;
    const auto parts = split_key(key);
    auto table = parent_table(*root, key, parts, false);
    if (!table)
        return table.error();
    if (*table != nullptr)
        (*table)->erase(parts.back());
    return to_text(*root);
}

}  // namespace vpnse
