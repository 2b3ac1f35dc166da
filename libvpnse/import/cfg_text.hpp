#pragma once
// SoftEther's configuration text ("declare NAME { ... }" folders of "TYPE NAME VALUE" items), as the
// official client writes account files (.vpn) and its own config. Untrusted input: every malformed line
// is an error naming its line, sizes and nesting are bounded. tests/fuzz/import_vpn_fuzz.cpp.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vpnse/result.hpp"

namespace vpnse::import {

struct CfgValue {
    enum Type { boolean, uint32, uint64, string, bytes } type = string;
    bool flag = false;
    std::uint64_t number = 0;
    std::string text;                  // string: unescaped
    std::vector<std::uint8_t> binary;  // bytes: decoded
};

struct CfgFolder {
    std::map<std::string, CfgValue> values;
    std::map<std::string, std::unique_ptr<CfgFolder>> folders;

    const CfgValue* value(std::string_view name) const;
    const CfgFolder* folder(std::string_view name) const;
};

inline constexpr std::size_t kMaxCfgText = 1 << 20;
inline constexpr int kMaxCfgDepth = 16;
inline constexpr std::size_t kMaxCfgItems = 10'000;

// The folder declared as "root". malformed_input ("SOURCE: line N: ...") or limit_exceeded.
Result<CfgFolder> parse_cfg_text(std::string_view text, std::string_view source);

}  // namespace vpnse::import
