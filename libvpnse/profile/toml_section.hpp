#pragma once
// A strict reader over one TOML table: typed getters that name the key path in every message, and a
// final check that rejects keys nobody asked for (typo protection: "servr.host" must not be ignored).
// The first problem wins; later calls become no-ops, so a loader can read every key and check once.
// Also used by daemon/settings for vpnsed.toml, so both files report errors the same way.
#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vpnse/error.hpp"

namespace vpnse::profile {

// Collects the first error of a whole load; shared by the sections of one file.
class TomlErrors {
  public:
    explicit TomlErrors(std::string_view source) : source_(source) {}
    // "<source>: <key_path>: <message>"
    void fail(std::string_view key_path, std::string_view message);
    bool failed() const { return error_.has_value(); }
    const std::optional<Error>& error() const { return error_; }
    const std::string& source() const { return source_; }

  private:
    std::string source_;
    std::optional<Error> error_;
};

class TomlSection {
  public:
    // `path` is the section name ("server"), empty for the top level.
    TomlSection(const toml::table* table, std::string path, TomlErrors& errors);

    bool has(std::string_view key) const;
    void read(std::string_view key, std::string& out);
    void read(std::string_view key, bool& out);
    void read(std::string_view key, std::vector<std::string>& out);
    // Integers outside [min, max] fail with "must be between min and max (got v)".
    void read(std::string_view key, std::int64_t min, std::int64_t max, std::int64_t& out);
    template <class Int>
    void read_int(std::string_view key, std::int64_t min, std::int64_t max, Int& out) {
        std::int64_t value = static_cast<std::int64_t>(out);
        read(key, min, max, value);
        out = static_cast<Int>(value);
    }
    // A sub-table; absent gives an empty section. A non-table value fails.
    TomlSection section(std::string_view key);

    void fail(std::string_view key, std::string_view message);
    std::string key_path(std::string_view key) const;
    // Fails on the first key of this table not consumed by a getter or section().
    void reject_unknown_keys();

  private:
    const toml::node* lookup(std::string_view key, toml::node_type expected);

    const toml::table* table_;
    std::string path_;
    TomlErrors* errors_;
    std::set<std::string, std::less<>> consumed_;
};

// Parses TOML text; a syntax error gives ErrorCode::config_invalid "<source>:<line>:<column>: <what>".
// Inputs over 1 MiB are refused: no profile or daemon config is anywhere near that size.
std::optional<toml::table> parse_toml(std::string_view text, std::string_view source,
                                      std::optional<Error>& error);

}  // namespace vpnse::profile
