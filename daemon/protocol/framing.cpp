#include "protocol/framing.hpp"

namespace vpnsed::protocol {

std::optional<std::string> LineReader::next_line() {
    if (overflowed_)
        return std::nullopt;
    const auto newline = buffer_.find('\n', scanned_);
    if (newline == std::string::npos) {
        scanned_ = buffer_.size();
        if (buffer_.size() > max_line_) {
            overflowed_ = true;
            buffer_.clear();
        }
        return std::nullopt;
    }
    if (newline > max_line_ + 1 || (newline == max_line_ + 1 && buffer_[newline - 1] != '\r')) {
        overflowed_ = true;
        buffer_.clear();
        return std::nullopt;
    }
    std::string line = buffer_.substr(0, newline);
    buffer_.erase(0, newline + 1);
    scanned_ = 0;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

bool nested_deeper_than(std::string_view line, std::size_t max_depth) {
    std::size_t depth = 0;
    bool in_string = false, escaped = false;
    for (const char c : line) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth)
                return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

std::string to_line(const nlohmann::json& message) {
    std::string line = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line += '\n';
    return line;
}

}  // namespace vpnsed::protocol
