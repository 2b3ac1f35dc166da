#include "profile/toml_section.hpp"

#include <utility>

namespace vpnse::profile {
namespace {

constexpr std::size_t kMaxTomlBytes = 1024 * 1024;

std::string_view type_name(toml::node_type type) {
    switch (type) {
        case toml::node_type::none:
            return "nothing";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a float";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
    }
    return "an unknown type";
}

}  // namespace

void TomlErrors::fail(std::string_view key_path, std::string_view message) {
    if (error_)
        return;
    std::string text = source_;
    text += ": ";
    if (!key_path.empty()) {
        text += key_path;
        text += ": ";
    }
    text += message;
    error_ = Error(ErrorCode::config_invalid, std::move(text));
}

TomlSection::TomlSection(const toml::table* table, std::string path, TomlErrors& errors)
    : table_(table), path_(std::move(path)), errors_(&errors) {}

std::string TomlSection::key_path(std::string_view key) const {
    if (path_.empty())
        return std::string(key);
    return path_ + "." + std::string(key);
}

void TomlSection::fail(std::string_view key, std::string_view message) {
    errors_->fail(key_path(key), message);
}

bool TomlSection::has(std::string_view key) const {
    return table_ && table_->contains(key);
}

const toml::node* TomlSection::lookup(std::string_view key, toml::node_type expected) {
    consumed_.emplace(key);
    if (!table_ || errors_->failed())
        return nullptr;
    const toml::node* node = table_->get(key);
    if (!node)
        return nullptr;
    if (node->type() != expected) {
        fail(key, "expected " + std::string(type_name(expected)) + ", got " +
                      std::string(type_name(node->type())));
        return nullptr;
    }
    return node;
}

void TomlSection::read(std::string_view key, std::string& out) {
    if (const auto* node = lookup(key, toml::node_type::string))
        out = node->as_string()->get();
}

void TomlSection::read(std::string_view key, bool& out) {
    if (const auto* node = lookup(key, toml::node_type::boolean))
        out = node->as_boolean()->get();
}

void TomlSection::read(std::string_view key, std::vector<std::string>& out) {
    const auto* node = lookup(key, toml::node_type::array);
    if (!node)
        return;
    std::vector<std::string> values;
    const auto& array = *node->as_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
        const auto* item = array.get(i);
        if (!item->is_string()) {
            fail(key, "element " + std::to_string(i) + ": expected a string, got " +
                          std::string(type_name(item->type())));
            return;
        }
        values.push_back(item->as_string()->get());
    }
    out = std::move(values);
}

void TomlSection::read(std::string_view key, std::int64_t min, std::int64_t max, std::int64_t& out) {
    const auto* node = lookup(key, toml::node_type::integer);
    if (!node)
        return;
    const std::int64_t value = node->as_integer()->get();
    if (value < min || value > max) {
        fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + " (got " +
                      std::to_string(value) + ")");
        return;
    }
    out = value;
}

TomlSection TomlSection::section(std::string_view key) {
    const auto* node = lookup(key, toml::node_type::table);
    return TomlSection(node ? node->as_table() : nullptr, key_path(key), *errors_);
}

void TomlSection::reject_unknown_keys() {
    if (!table_ || errors_->failed())
        return;
    for (const auto& [key, node] : *table_) {
        if (consumed_.find(key.str()) != consumed_.end())
            continue;
        const auto& where = node.source().begin;
        std::string message = node.is_table() ? "unknown section" : "unknown key";
        if (where.line > 0)
            message += " (line " + std::to_string(where.line) + ")";
        fail(key.str(), message);
        return;
    }
}

std::optional<toml::table> parse_toml(std::string_view text, std::string_view source,
                                      std::optional<Error>& error) {
    if (text.size() > kMaxTomlBytes) {
        error = Error(ErrorCode::config_invalid, std::string(source) + ": file is larger than 1 MiB");
        return std::nullopt;
    }
    try {
        return toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        error = Error(ErrorCode::config_invalid, std::string(source) + ":" + std::to_string(where.line) +
                                                     ":" + std::to_string(where.column) + ": " +
                                                     std::string(e.description()));
        return std::nullopt;
    }
}

}  // namespace vpnse::profile
