#pragma once
// Standard base64 (RFC 4648 section 4, with '=' padding): profile values such as auth.password_hash,
// proxy Basic credentials (RFC 7617), the C API's password hash.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vpnse {

// Decodes `text`; ASCII whitespace is ignored. Returns nullopt on any other character outside the
// alphabet, on misplaced or excess padding, or on a length that is not a whole number of quanta.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

// Encodes with '=' padding and no line breaks.
std::string base64_encode(std::span<const std::uint8_t> bytes);

}  // namespace vpnse
