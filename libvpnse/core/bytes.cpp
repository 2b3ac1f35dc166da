#include "core/bytes.hpp"

namespace vpnse {

std::string to_hex(ByteSpan bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0xf]);
    }
    return out;
}

bool from_hex(std::string_view text, Bytes& out) {
    out.clear();
    int high = -1;
    for (char c : text) {
        if (c == ':') {
            if (high >= 0)
                return false;
            continue;
        }
        int n = hex_digit_value(c);
        if (n < 0)
            return false;
        if (high < 0) {
            high = n;
        } else {
            out.push_back(static_cast<std::uint8_t>((high << 4) | n));
            high = -1;
        }
    }
    return high < 0;
}

}  // namespace vpnse
