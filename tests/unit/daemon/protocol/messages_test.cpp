#include "protocol/messages.hpp"

#include <catch2/catch.hpp>

using namespace vpnsed::protocol;

namespace {
std::string params_error(vpnse::Error error) {
    CHECK(error.code() == vpnse::ErrorCode::invalid_argument);
    return error.message();
}
}  // namespace

TEST_CASE("tunnels.connect params") {
    auto ok = parse_connect_params(json::parse(R"({"name":"office","wait":true,"timeout_ms":5000})"));
    REQUIRE(ok.ok());
    CHECK(ok->name == "office");
    CHECK(ok->wait);
    CHECK(ok->timeout_ms == 5000);
    auto defaults = parse_connect_params(json::parse(R"({"name":"office"})"));
    CHECK_FALSE(defaults->wait);
    CHECK(defaults->timeout_ms == 60000);

    CHECK(params_error(parse_connect_params(json::object()).error()) == "invalid params: name: is required");
    CHECK(params_error(parse_connect_params(nullptr).error()) == "invalid params: name: is required");
    CHECK(params_error(parse_connect_params(json::parse(R"({"name":5})")).error()) ==
          "invalid params: name: expected a string, got an integer");
    CHECK(params_error(parse_connect_params(json::parse(R"({"name":"a","wait":"yes"})")).error()) ==
          "invalid params: wait: expected a boolean, got a string");
    CHECK(params_error(parse_connect_params(json::parse(R"({"name":"a","timeout_ms":-1})")).error()) ==
          "invalid params: timeout_ms: expected an unsigned integer, got an integer");
    CHECK(params_error(parse_connect_params(json::parse(R"({"name":"a","timeout_ms":0})")).error()) ==
          "invalid params: timeout_ms: must be between 1 and 3600000 (got 0)");
    CHECK(params_error(parse_connect_params(json::parse(R"({"name":"a","wiat":true})")).error()) ==
          "invalid params: wiat: unknown param");
    CHECK(parse_connect_params(to_params(*ok))->timeout_ms == 5000);
}

TEST_CASE("tunnels.disconnect params need exactly one of name and all") {
    CHECK(parse_disconnect_params(json::parse(R"({"name":"x"})"))->name == "x");
    CHECK(parse_disconnect_params(json::parse(R"({"all":true})"))->all);
    CHECK(params_error(parse_disconnect_params(json::object()).error()) ==
          "invalid params: name: is required (or all: true)");
    CHECK(params_error(parse_disconnect_params(json::parse(R"({"name":"x","all":true})")).error()) ==
          "invalid params: all: cannot be combined with name");
}

TEST_CASE("other params") {
    CHECK_FALSE(parse_name_params(nullptr, false)->name);
    CHECK_FALSE(parse_name_params(nullptr, true).ok());
    CHECK(parse_subscribe_params(nullptr)->topics.size() == 3);
    CHECK(parse_subscribe_params(json::parse(R"({"topics":["log"]})"))->topics == std::vector{Topic::log});
    CHECK(params_error(parse_subscribe_params(json::parse(R"({"topics":["sate"]})")).error()) ==
          "invalid params: topics: unknown topic \"sate\" (expected state, stats, log or profiles)");
    CHECK(params_error(parse_subscribe_params(json::parse(R"({"topics":"state"})")).error()) ==
          "invalid params: topics: expected an array of strings, got a string");
    CHECK(parse_logs_params(json::parse(R"({"lines":5})"))->lines == 5);
    CHECK_FALSE(parse_logs_params(json::parse(R"({"lines":0})")).ok());
    CHECK(parse_no_params(nullptr).ok());
    CHECK(parse_no_params(json::object()).ok());
    CHECK(params_error(parse_no_params(json::parse(R"({"x":1})")).error()) ==
          "invalid params: x: unknown param");
}

TEST_CASE("status round-trips through JSON") {
    TunnelStatus status;
    status.name = "office";
    status.state = vpnse::TunnelState::established;
    status.last_error = vpnse::Error(vpnse::ErrorCode::auth_failed, "bad password");
    status.address = "192.168.30.10";
    status.prefix_length = 24;
    status.routes = {"10.0.0.0/8 via 192.168.30.1"};
    status.bytes_in = 1ull << 40;
    status.since = 1700000000;
    json encoded = status;
    CHECK(encoded["state"] == "established");
    CHECK(encoded["last_error"]["name"] == "auth_failed");
    auto decoded = encoded.get<TunnelStatus>();
    CHECK(decoded.name == "office");
    CHECK(decoded.state == vpnse::TunnelState::established);
    REQUIRE(decoded.last_error);
    CHECK(decoded.last_error->code() == vpnse::ErrorCode::auth_failed);
    CHECK(decoded.bytes_in == 1ull << 40);
    CHECK(decoded.routes == status.routes);
    for (auto state : {vpnse::TunnelState::disconnected, vpnse::TunnelState::connecting,
                       vpnse::TunnelState::authenticating, vpnse::TunnelState::configuring,
                       vpnse::TunnelState::established, vpnse::TunnelState::reconnecting})
        CHECK(state_from_wire(state_to_wire(state)) == state);
}

TEST_CASE("profiles.get never carries secrets") {
    vpnse::Profile profile;
    profile.name = "office";
    profile.password = "hunter2";
    profile.password_hash = std::array<std::uint8_t, 20>{};
    const auto text = profile_to_json(without_secrets(profile)).dump();
    CHECK(text.find("hunter2") == std::string::npos);
    CHECK(profile_to_json(without_secrets(profile))["auth"]["has_password"] == true);
    CHECK(profile_to_json(without_secrets(profile))["auth"]["has_password_hash"] == true);
    CHECK_FALSE(profile_to_json(without_secrets(profile))["auth"].contains("password"));
}
