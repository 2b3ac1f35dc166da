#include "protocol/error_mapping.hpp"

#include <catch2/catch.hpp>

using namespace vpnsed::protocol;
using vpnse::ErrorCode;

TEST_CASE("application errors use the vpnse code as JSON-RPC code") {
    const vpnse::Error error(ErrorCode::auth_failed, "authentication failed for user bob on hub ACME");
    auto rpc = rpc_error_from(error);
    CHECK(rpc.code == 9);
    CHECK(rpc.message == "authentication failed for user bob on hub ACME");
    CHECK(rpc.data == json{{"name", "auth_failed"}, {"code", 9}});
    CHECK(error_from_rpc(rpc) == error);

    auto denied = rpc_error_from(vpnse::Error(ErrorCode::permission_denied, "x"));
    CHECK(denied.code == 1010);
    CHECK(denied.data["name"] == "permission_denied");
}

TEST_CASE("protocol errors keep reserved codes and carry a vpnse code in data") {
    struct Case {
        int code;
        ErrorCode expected;
    };
    for (auto c :
         {Case{kParseError, ErrorCode::malformed_input}, Case{kInvalidRequest, ErrorCode::invalid_argument},
          Case{kMethodNotFound, ErrorCode::not_found}, Case{kInvalidParams, ErrorCode::invalid_argument},
          Case{kInternalError, ErrorCode::internal}}) {
        auto rpc = protocol_error(c.code, "m");
        CHECK(rpc.code == c.code);
        CHECK(rpc.data["code"] == static_cast<int>(c.expected));
        CHECK(error_from_rpc(rpc).code() == c.expected);
        CHECK(rpc.code <= -32000);
    }
    CHECK(protocol_error(kInvalidRequest, "long", ErrorCode::limit_exceeded).data["name"] ==
          "limit_exceeded");
}

TEST_CASE("every application code stays outside the reserved range") {
    for (int code = 1; code < 2000; ++code) {
        auto rpc = rpc_error_from(vpnse::Error(static_cast<ErrorCode>(code), "m"));
        CHECK((rpc.code > 0 && rpc.code == code));
    }
}

TEST_CASE("errors from a daemon without data fall back on the JSON-RPC code") {
    RpcError bare{kMethodNotFound, "no such method", nullptr};
    CHECK(error_from_rpc(bare).code() == ErrorCode::not_found);
    CHECK(error_from_rpc(error_from_json(json::parse(R"({"code":9,"message":"no"})"))).code() ==
          ErrorCode::auth_failed);
    CHECK(error_from_json("junk").code == kInternalError);
}
