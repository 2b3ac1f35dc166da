#pragma once
// vpnse::Error <-> D-Bus error names: org.vpnse.Error.<CamelCase of the code's name>
// (auth_failed -> org.vpnse.Error.AuthFailed). The message is the one JSON-RPC sends; the name stands for
// the same numeric code (error.hpp, the one list), so both front doors speak one vocabulary.
#include <optional>
#include <string>
#include <string_view>

#include "vpnse/error.hpp"

namespace vpnsed::dbus {

std::string dbus_error_name(vpnse::ErrorCode code);
// nullopt for a name outside org.vpnse.Error. or not naming a code.
std::optional<vpnse::ErrorCode> error_code_of(std::string_view dbus_name);

struct DbusError {
    std::string name;
    std::string message;  // exactly JSON-RPC's message for the same error
};
DbusError to_dbus_error(const vpnse::Error& error);

}  // namespace vpnsed::dbus
