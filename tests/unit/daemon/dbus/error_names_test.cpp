#include "dbus/error_names.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "protocol/error_mapping.hpp"

using namespace vpnsed::dbus;
using vpnse::ErrorCode;

TEST_CASE("dbus errors: org.vpnse.Error.<CamelCase code name>, and back") {
    CHECK(dbus_error_name(ErrorCode::auth_failed) == "org.vpnse.Error.AuthFailed");
    CHECK(dbus_error_name(ErrorCode::permission_denied) == "org.vpnse.Error.PermissionDenied");
    CHECK(dbus_error_name(ErrorCode::not_found) == "org.vpnse.Error.NotFound");
    CHECK(dbus_error_name(ErrorCode::ip_address_denied) == "org.vpnse.Error.IpAddressDenied");
    CHECK(error_code_of("org.vpnse.Error.AuthFailed") == ErrorCode::auth_failed);
    CHECK_FALSE(error_code_of("org.vpnse.Error.NoSuchThing").has_value());
    CHECK_FALSE(error_code_of("org.freedesktop.DBus.Error.AccessDenied").has_value());
}

TEST_CASE("dbus errors: every code has its own name, and the message is JSON-RPC's") {
    std::set<std::string> names;
#define VPNSE_TEST_CODE(name, value, description)                              \
    CHECK(error_code_of(dbus_error_name(ErrorCode::name)) == ErrorCode::name); \
    names.insert(dbus_error_name(ErrorCode::name));
    VPNSE_ERROR_CODES(VPNSE_TEST_CODE)
#undef VPNSE_TEST_CODE
#define VPNSE_TEST_COUNT(name, value, description) +1
    CHECK(names.size() == std::size_t{0 VPNSE_ERROR_CODES(VPNSE_TEST_COUNT)});
#undef VPNSE_TEST_COUNT

    const vpnse::Error wrong(ErrorCode::auth_failed, "the server refused user bob's password");
    auto mapped = to_dbus_error(wrong);
    CHECK(mapped.name == "org.vpnse.Error.AuthFailed");
    CHECK(mapped.message == vpnsed::protocol::rpc_error_from(wrong).message);
    // No error is not a D-Bus error: it maps as JSON-RPC maps it (internal).
    CHECK(to_dbus_error(vpnse::Error(ErrorCode::ok, "")).name == "org.vpnse.Error.Internal");
}
