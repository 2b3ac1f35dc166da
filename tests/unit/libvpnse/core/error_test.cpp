#include <catch2/catch.hpp>
#include <set>

#include "vpnse/error.hpp"
#include "vpnse/result.hpp"

using vpnse::Error;
using vpnse::ErrorCode;

TEST_CASE("SoftEther error numbers map to the code with the same number") {
    CHECK(vpnse::error_code_from_softether(0) == ErrorCode::ok);
    CHECK(vpnse::error_code_from_softether(9) == ErrorCode::auth_failed);
    CHECK(vpnse::error_code_from_softether(8) == ErrorCode::hub_not_found);
    CHECK(vpnse::error_code_from_softether(13) == ErrorCode::session_timeout);
    CHECK(vpnse::error_code_from_softether(107) == ErrorCode::monitor_mode_denied);
}

TEST_CASE("unknown SoftEther numbers become server_error, never one of vpnse's own codes") {
    CHECK(vpnse::error_code_from_softether(5) == ErrorCode::server_error);
    CHECK(vpnse::error_code_from_softether(1000) == ErrorCode::server_error);
    CHECK(vpnse::error_code_from_softether(0xffffffffu) == ErrorCode::server_error);
}

TEST_CASE("every code has a stable name and a description") {
    CHECK(vpnse::error_code_name(ErrorCode::auth_failed) == "auth_failed");
    CHECK(vpnse::error_code_name(ErrorCode::config_invalid) == "config_invalid");
    CHECK(vpnse::error_code_description(ErrorCode::hub_not_found) == "the virtual hub does not exist");
    CHECK(vpnse::error_code_name(static_cast<ErrorCode>(4242)) == "unknown");
}

TEST_CASE("not supported is one code: SoftEther's 33; vpnse's old 1017 is retired") {
    CHECK(vpnse::error_code_from_softether(33) == ErrorCode::not_supported);
    CHECK(static_cast<int>(ErrorCode::not_supported) == 33);
    CHECK(vpnse::error_code_name(static_cast<ErrorCode>(1017)) == "unknown");
}

TEST_CASE("every code of VPNSE_ERROR_CODES has its own number, its name and a description") {
    std::set<int> numbers;
#define VPNSE_CHECK_CODE(name, value, description)           \
    CHECK(numbers.insert(value).second);                     \
    CHECK(static_cast<int>(ErrorCode::name) == value);       \
    CHECK(vpnse::error_code_name(ErrorCode::name) == #name); \
    CHECK(vpnse::error_code_description(ErrorCode::name) == description);
    VPNSE_ERROR_CODES(VPNSE_CHECK_CODE)
#undef VPNSE_CHECK_CODE
    CHECK(numbers.size() > 40);
}

TEST_CASE("Error formats code and message") {
    Error e(ErrorCode::auth_failed, "authentication failed for user bob on hub ACME");
    CHECK(e.to_string() == "auth_failed: authentication failed for user bob on hub ACME");
    CHECK(static_cast<bool>(e));
    CHECK_FALSE(static_cast<bool>(Error{}));
}

TEST_CASE("Result carries a value or an error") {
    vpnse::Result<int> good = 42;
    REQUIRE(good.ok());
    CHECK(*good == 42);
    vpnse::Result<int> bad = Error(ErrorCode::timeout, "no answer");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code() == ErrorCode::timeout);
    vpnse::Status fine;
    CHECK(fine.ok());
}
