#include "import/cfg_text.hpp"

#include <charconv>

#include "core/base64.hpp"
#include "core/bytes.hpp"

namespace vpnse::import {
namespace {

class Parser {
  public:
    Parser(std::string_view text, std::string_view source) : text_(text), source_(source) {}

    Result<CfgFolder> run();

  private:
    // The next line that says something (not blank, not a comment), trimmed; false at the end.
    bool next(std::string_view& line);
    Status parse_folder(CfgFolder& folder, int depth);
    Status parse_item(std::string_view line, CfgFolder& folder);
    Error fail(const std::string& what) const {
        return Error(ErrorCode::malformed_input,
                     std::string(source_) + ": line " + std::to_string(line_) + ": " + what);
    }

    std::string_view text_, source_;
    std::size_t at_ = 0, line_ = 0, items_ = 0;
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// Splits off the first whitespace-separated word.
std::string_view word(std::string_view& s) {
    s = trim(s);
    std::size_t end = 0;
    while (end < s.size() && s[end] != ' ' && s[end] != '\t')
        ++end;
    auto out = s.substr(0, end);
    s = trim(s.substr(end));
    return out;
}

// "$" alone is the empty string; "$XX" is the byte XX (SoftEther escapes spaces, '$', '#' and controls).
bool unescape(std::string_view in, std::string& out) {
    out.clear();
    if (in == "$")
        return true;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '$') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size())
            return false;
        const int high = hex_digit_value(in[i + 1]), low = hex_digit_value(in[i + 2]);
        if (high < 0 || low < 0)
            return false;
        out += static_cast<char>(high << 4 | low);
        i += 2;
    }
    return true;
}

bool is_number(std::string_view s, std::uint64_t max, std::uint64_t& out) {
    if (s.empty())
        return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && out <= max;
}

bool Parser::next(std::string_view& line) {
    while (at_ < text_.size()) {
        auto end = text_.find('\n', at_);
        if (end == std::string_view::npos)
            end = text_.size();
        line = trim(text_.substr(at_, end - at_));
        at_ = end + 1;
        ++line_;
        if (!line.empty() && line.front() != '#' && line.substr(0, 2) != "//")
            return true;
    }
    return false;
}

Status Parser::parse_item(std::string_view line, CfgFolder& folder) {
    auto type = word(line);
    auto raw_name = word(line);
    auto raw_value = line;
    std::string name;
    if (raw_name.empty() || !unescape(raw_name, name))
        return fail("expected \"TYPE NAME VALUE\"");
    if (raw_value.find_first_of(" \t") != std::string_view::npos)
        return fail(name + ": a value has no spaces (they are written $20)");
    CfgValue value;
    if (type == "bool") {
        value.type = CfgValue::boolean;
        if (raw_value != "true" && raw_value != "false")
            return fail(name + ": bool must be true or false");
        value.flag = raw_value == "true";
    } else if (type == "uint" || type == "uint64") {
        value.type = type == "uint" ? CfgValue::uint32 : CfgValue::uint64;
        if (!is_number(raw_value, type == "uint" ? 0xffffffffULL : ~0ULL, value.number))
            return fail(name + ": " + std::string(type) + " must be a decimal number in range");
    } else if (type == "string") {
        if (!unescape(raw_value, value.text))
            return fail(name + ": bad $ escape in string");
    } else if (type == "byte") {
        value.type = CfgValue::bytes;
        if (raw_value != "$") {
            auto decoded = base64_decode(raw_value);
            if (!decoded)
                return fail(name + ": byte value is not base64");
            value.binary = std::move(decoded).value();
        }
    } else {
        return fail("unknown type \"" + std::string(type) + "\" (bool, uint, uint64, string, byte)");
    }
    if (!folder.values.emplace(name, std::move(value)).second)
        return fail(name + ": defined twice");
    return {};
}

Status Parser::parse_folder(CfgFolder& folder, int depth) {
    std::string_view line;
    if (!next(line) || line != "{")
        return fail("expected { after declare");
    while (next(line)) {
        if (line == "}")
            return {};
        if (++items_ > kMaxCfgItems)
            return Error(ErrorCode::limit_exceeded,
                         std::string(source_) + ": more than " + std::to_string(kMaxCfgItems) + " items");
        auto rest = line;
        if (word(rest) == "declare") {
            std::string name;
            if (rest.empty() || !unescape(rest, name))
                return fail("declare needs a name");
            if (depth + 1 > kMaxCfgDepth)
                return Error(ErrorCode::limit_exceeded,
                             std::string(source_) + ": line " + std::to_string(line_) +
                                 ": folders nested deeper than " + std::to_string(kMaxCfgDepth));
            auto child = std::make_unique<CfgFolder>();
            if (auto status = parse_folder(*child, depth + 1); !status)
                return status;
            if (!folder.folders.emplace(name, std::move(child)).second)
                return fail(name + ": declared twice");
            continue;
        }
        if (auto status = parse_item(line, folder); !status)
            return status;
    }
    return fail("the file ends inside a folder (missing })");
}

Result<CfgFolder> Parser::run() {
    if (text_.size() > kMaxCfgText)
        return Error(ErrorCode::limit_exceeded, std::string(source_) + ": larger than 1 MiB");
    if (text_.substr(0, 3) == "\xEF\xBB\xBF")  // the official client writes a UTF-8 byte order mark
        text_.remove_prefix(3);
    std::string_view line;
    if (!next(line))
        return fail("empty: expected \"declare root\"");
    auto rest = line;
    if (word(rest) != "declare" || rest != "root")
        return fail("expected \"declare root\"");
    CfgFolder root;
    if (auto status = parse_folder(root, 1); !status)
        return status.error();
    if (next(line))
        return fail("text after the root folder");
    return root;
}

}  // namespace

const CfgValue* CfgFolder::value(std::string_view name) const {
    auto it = values.find(std::string(name));
    return it == values.end() ? nullptr : &it->second;
}

const CfgFolder* CfgFolder::folder(std::string_view name) const {
    auto it = folders.find(std::string(name));
    return it == folders.end() ? nullptr : it->second.get();
}

Result<CfgFolder> parse_cfg_text(std::string_view text, std::string_view source) {
    return Parser(text, source).run();
}

}  // namespace vpnse::import
