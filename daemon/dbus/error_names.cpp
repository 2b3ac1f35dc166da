#include "dbus/error_names.hpp"

#include <array>

#include "dbus/names.hpp"
#include "protocol/error_mapping.hpp"

namespace vpnsed::dbus {
namespace {

std::string camel_case(std::string_view snake) {
    std::string out;
    bool upper = true;
    for (char c : snake) {
        if (c == '_') {
            upper = true;
            continue;
        }
        out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
    }
    return out;
}

constexpr std::array kCodes = {
#define VPNSE_DBUS_CODE(name, value, description) vpnse::ErrorCode::name,
    VPNSE_ERROR_CODES(VPNSE_DBUS_CODE)
#undef VPNSE_DBUS_CODE
};

}  // namespace

std::string dbus_error_name(vpnse::ErrorCode code) {
    return std::string(kErrorPrefix) + camel_case(vpnse::error_code_name(code));
}

std::optional<vpnse::ErrorCode> error_code_of(std::string_view dbus_name) {
    for (auto code : kCodes)
        if (dbus_error_name(code) == dbus_name)
            return code;
    return std::nullopt;
}

DbusError to_dbus_error(const vpnse::Error& error) {
    // The JSON-RPC mapping decides the message (and ok -> internal), so both front doors say the same.
    auto rpc = protocol::rpc_error_from(error);
    return DbusError{dbus_error_name(static_cast<vpnse::ErrorCode>(rpc.code)), std::move(rpc.message)};
}

}  // namespace vpnsed::dbus
