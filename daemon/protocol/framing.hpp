#pragma once
// Framing of the control socket: newline-delimited JSON, one JSON text per line, in both directions.
// A line (without its '\n') is at most kMaxLineBytes; a trailing '\r' is dropped. Longer input is a
// protocol violation: the server answers with an error and closes the connection, because it cannot find
// where the next message starts without buffering without bound.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vpnsed::protocol {

inline constexpr std::size_t kMaxLineBytes = 1024 * 1024;

class LineReader {
  public:
    explicit LineReader(std::size_t max_line = kMaxLineBytes) : max_line_(max_line) {}

    void feed(std::string_view bytes) { buffer_.append(bytes); }
    // The next complete line, if any. After overflowed() turns true it returns nothing more.
    std::optional<std::string> next_line();
    bool overflowed() const { return overflowed_; }

  private:
    std::string buffer_;
    std::size_t scanned_ = 0;  // bytes of buffer_ already searched for '\n'
    std::size_t max_line_;
    bool overflowed_ = false;
};

// No request needs more than a few levels; nlohmann's parser is iterative, but copying and destroying
// parsed values recurse, so a line nested deeper than this is refused before it is parsed.
inline constexpr std::size_t kMaxNestingDepth = 64;

// Whether `line` opens more than `max_depth` arrays/objects at once (brackets inside strings do not count).
bool nested_deeper_than(std::string_view line, std::size_t max_depth);

// Serializes one message as a line ('\n' appended). Invalid UTF-8 in strings is replaced, never thrown.
std::string to_line(const nlohmann::json& message);

}  // namespace vpnsed::protocol
