#include "protocol/jsonrpc.hpp"

#include <catch2/catch.hpp>

#include "protocol/error_mapping.hpp"

using namespace vpnsed::protocol;

namespace {
InvalidRequest invalid(const char* text) {
    auto parsed = parse_request(json::parse(text));
    REQUIRE(std::holds_alternative<InvalidRequest>(parsed));
    return std::get<InvalidRequest>(parsed);
}
}  // namespace

TEST_CASE("valid requests and notifications parse") {
    auto parsed = parse_request(json::parse(R"({"jsonrpc":"2.0","id":7,"method":"version"})"));
    REQUIRE(std::holds_alternative<Request>(parsed));
    const auto& request = std::get<Request>(parsed);
    CHECK(request.id == 7);
    CHECK_FALSE(request.is_notification);
    CHECK(request.method == "version");
    CHECK(request.params.is_null());

    auto notification = parse_request(json::parse(R"({"jsonrpc":"2.0","method":"x","params":{"a":1}})"));
    REQUIRE(std::holds_alternative<Request>(notification));
    CHECK(std::get<Request>(notification).is_notification);
    CHECK(std::get<Request>(notification).params["a"] == 1);

    auto string_id = parse_request(json::parse(R"({"jsonrpc":"2.0","id":"abc","method":"x"})"));
    CHECK(std::get<Request>(string_id).id == "abc");
}

TEST_CASE("invalid request vectors") {
    CHECK(invalid("[]").error.code == kInvalidRequest);
    CHECK(invalid("42").error.code == kInvalidRequest);
    CHECK(invalid(R"({"id":1,"method":"x"})").error.message == "invalid request: jsonrpc must be \"2.0\"");
    CHECK(invalid(R"({"id":1,"method":"x"})").id == 1);
    CHECK(invalid(R"({"jsonrpc":"1.0","id":1,"method":"x"})").error.code == kInvalidRequest);
    CHECK(invalid(R"({"jsonrpc":"2.0","id":1,"method":5})").error.message ==
          "invalid request: method must be a string");
    CHECK(invalid(R"({"jsonrpc":"2.0","id":1.5,"method":"x"})").id.is_null());
    CHECK(invalid(R"({"jsonrpc":"2.0","id":{},"method":"x"})").error.code == kInvalidRequest);
    CHECK(invalid(R"({"jsonrpc":"2.0","id":1,"method":"x","params":[1]})").error.code == kInvalidParams);
    CHECK(invalid(R"({"jsonrpc":"2.0","id":1,"method":"x","params":"s"})").error.code == kInvalidRequest);
    CHECK(invalid(R"({"jsonrpc":"2.0","id":1,"method":"x","extra":1})").error.message ==
          "invalid request: unknown member \"extra\"");
    CHECK(invalid("[]").error.data["name"] == "invalid_argument");
}

TEST_CASE("responses are well formed") {
    CHECK(make_result(3, {{"a", 1}}).dump() == R"({"id":3,"jsonrpc":"2.0","result":{"a":1}})");
    auto error = make_error(nullptr, protocol_error(kParseError, "parse error"));
    CHECK(error["id"].is_null());
    CHECK(error["error"]["code"] == -32700);
    CHECK(error["error"]["data"]["name"] == "malformed_input");
    CHECK(error["error"]["data"]["code"] == 1002);
}
