#include "protocol/param_reader.hpp"

namespace vpnsed::protocol {
namespace {

std::string type_of(const nlohmann::json& value) {
    if (value.is_number_integer())
        return "an integer";
    if (value.is_number())
        return "a number";
    const std::string name = value.type_name();
    return (name == "array" || name == "object" ? "an " : "a ") + name;
}

}  // namespace

ParamReader::ParamReader(const nlohmann::json& params) : params_(params.is_object() ? &params : nullptr) {}

void ParamReader::fail(std::string_view key, std::string_view message) {
    if (error_)
        return;
    error_ = vpnse::Error(vpnse::ErrorCode::invalid_argument,
                          "invalid params: " + std::string(key) + ": " + std::string(message));
}

const nlohmann::json* ParamReader::find(std::string_view key) {
    known_.emplace(key);
    if (!params_)
        return nullptr;
    auto it = params_->find(key);
    if (it == params_->end() || it->is_null())
        return nullptr;
    return &*it;
}

void ParamReader::require(std::string_view key) {
    if (!params_ || !params_->contains(key) || (*params_)[std::string(key)].is_null())
        fail(key, "is required");
}

std::optional<std::string> ParamReader::string(std::string_view key) {
    const auto* value = find(key);
    if (!value)
        return std::nullopt;
    if (!value->is_string()) {
        fail(key, "expected a string, got " + type_of(*value));
        return std::nullopt;
    }
    return value->get<std::string>();
}

std::optional<bool> ParamReader::boolean(std::string_view key) {
    const auto* value = find(key);
    if (!value)
        return std::nullopt;
    if (!value->is_boolean()) {
        fail(key, "expected a boolean, got " + type_of(*value));
        return std::nullopt;
    }
    return value->get<bool>();
}

std::optional<std::uint64_t> ParamReader::unsigned_integer(std::string_view key, std::uint64_t min,
                                                           std::uint64_t max) {
    const auto* value = find(key);
    if (!value)
        return std::nullopt;
    if (!value->is_number_unsigned() && !(value->is_number_integer() && value->get<std::int64_t>() >= 0)) {
        fail(key, "expected an unsigned integer, got " + type_of(*value));
        return std::nullopt;
    }
    const auto number = value->get<std::uint64_t>();
    if (number < min || number > max) {
        fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + " (got " +
                      std::to_string(number) + ")");
        return std::nullopt;
    }
    return number;
}

std::optional<std::vector<std::string>> ParamReader::string_array(std::string_view key) {
    const auto* value = find(key);
    if (!value)
        return std::nullopt;
    if (!value->is_array()) {
        fail(key, "expected an array of strings, got " + type_of(*value));
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& item : *value) {
        if (!item.is_string()) {
            fail(key, "expected an array of strings, found " + type_of(item));
            return std::nullopt;
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

vpnse::Error ParamReader::finish() {
    if (!error_ && params_) {
        for (const auto& [key, value] : params_->items()) {
            if (known_.find(key) == known_.end()) {
                fail(key, "unknown param");
                break;
            }
        }
    }
    return error_;
}

}  // namespace vpnsed::protocol
