#include "tls/mbedtls_error.hpp"

#include <mbedtls/error.h>

#include <array>
#include <cstdint>

#include "core/bytes.hpp"

namespace vpnse::tls {

std::string mbedtls_message(int code) {
    char buffer[160];
    mbedtls_strerror(code, buffer, sizeof buffer);
    return std::string(buffer) + " (-0x" +
           to_hex(std::array<std::uint8_t, 2>{static_cast<std::uint8_t>((-code) >> 8),
                                              static_cast<std::uint8_t>(-code)}) +
           ")";
}

}  // namespace vpnse::tls
