#include <catch2/catch.hpp>

#include "proto/login.hpp"
#include "proto/password.hpp"

using namespace vpnse;
using namespace vpnse::proto;

namespace {

Hello test_hello() {
    Hello hello;
    hello.server_str = "SoftEther VPN Server";
    hello.version = 501;
    hello.build = 9674;
    for (std::uint8_t i = 0; i < 20; ++i)
        hello.random[i] = static_cast<std::uint8_t>(i + 1);
    return hello;
}

LoginRequest password_request() {
    LoginRequest request;
    request.hub = "TEST";
    request.username = "alice";
    request.auth = AuthType::password;
    request.password_hash = hash_password("alice", "secret");
    return request;
}

Pack welcome_pack() {
    Pack p;
    p.set_str("session_name", "SID-ALICE-22");
    p.set_str("connection_name", "CID-134");
    p.set_data("session_key", std::array<std::uint8_t, 20>{1, 2, 3});
    p.set_int("max_connection", 4);
    p.set_int("use_encrypt", 1);
    p.set_int("use_compress", 0);
    p.set_int("half_connection", 0);
    p.set_int("timeout", 20000);
    p.set_data("Msg", as_bytes("welcome \xe2\x9c\x93"));
    p.set_int("policy:MaxConnection", 32);
    return p;
}

}  // namespace

TEST_CASE("a password login carries SecurePassword of the hello's random (7.3, 7.4)") {
    auto pack = build_login_pack(password_request(), test_hello());
    REQUIRE(pack.ok());
    CHECK(pack->get_str("method") == std::optional<std::string_view>("login"));
    CHECK(pack->get_str("hubname") == std::optional<std::string_view>("TEST"));
    CHECK(pack->get_str("username") == std::optional<std::string_view>("alice"));
    CHECK(pack->get_int("authtype") == 1u);
    REQUIRE(pack->get_data("secure_password"));
    CHECK(to_hex(*pack->get_data("secure_password")) == "cef1539dc29f6304887348dbf6c187345790765e");
    CHECK(pack->get_int("use_encrypt") == 1u);  // sent explicitly: missing would mean cleartext (8.3)
    CHECK(pack->get_int("max_connection") == 1u);
    CHECK_FALSE(pack->contains("error"));
    // "HubName" would collide with "hubname" (8.3): the only match must be the str "TEST".
    CHECK(pack->value_count("HubName") == 1);
    CHECK(pack->get_str("HubName") == std::optional<std::string_view>("TEST"));
    // Node-info ints are byte-swapped: 501 = 0x1F5 travels as f5 01 00 00.
    CHECK(pack->get_int("ServerProductVer") == 0xF5010000u);
    auto round_trip = Pack::decode(pack->encode());
    REQUIRE(round_trip.ok());
}

TEST_CASE("login variants: plain, anonymous, clamped connections, missing fields") {
    auto request = password_request();
    request.auth = AuthType::plain_password;
    request.plain_password = "secret";
    request.max_connection = 99;
    auto plain = build_login_pack(request, test_hello());
    REQUIRE(plain.ok());
    CHECK(plain->get_str("plain_password") == std::optional<std::string_view>("secret"));
    CHECK(plain->get_int("max_connection") == 32u);

    request.auth = AuthType::anonymous;
    auto anonymous = build_login_pack(request, test_hello());
    REQUIRE(anonymous.ok());
    CHECK(anonymous->get_int("authtype") == 0u);
    CHECK_FALSE(anonymous->contains("secure_password"));

    auto no_hash = password_request();
    no_hash.password_hash.reset();
    CHECK_FALSE(build_login_pack(no_hash, test_hello()).ok());
    auto no_hub = password_request();
    no_hub.hub.clear();
    CHECK(build_login_pack(no_hub, test_hello()).error().code() == ErrorCode::invalid_argument);
}

TEST_CASE(
    "a certificate login carries the DER certificate and the signature of the hello's random (adv. 2.1)") {
    auto request = password_request();
    request.password_hash.reset();
    request.auth = AuthType::certificate;
    request.certificate_der = {0x30, 0x82, 0x01, 0x00};
    Bytes signed_random;
    request.sign_random = [&](ByteSpan random) -> Result<Bytes> {
        signed_random.assign(random.begin(), random.end());
        return Bytes(256, 0xab);
    };
    auto pack = build_login_pack(request, test_hello());
    REQUIRE(pack.ok());
    CHECK(pack->get_int("authtype") == 3u);
    const auto hello = test_hello();
    CHECK(signed_random == Bytes(hello.random.begin(), hello.random.end()));
    REQUIRE(pack->get_data("cert"));
    CHECK(Bytes(pack->get_data("cert")->begin(), pack->get_data("cert")->end()) == request.certificate_der);
    CHECK(pack->get_data("sign")->size() == 256);
    CHECK_FALSE(pack->contains("secure_password"));

    request.sign_random = [](ByteSpan) -> Result<Bytes> { return Error(ErrorCode::internal, "no key"); };
    CHECK(build_login_pack(request, test_hello()).error().message() == "no key");
    request.certificate_der.clear();
    CHECK(build_login_pack(request, test_hello()).error().code() == ErrorCode::invalid_argument);
}

TEST_CASE("hello parsing insists on the hello string and a 20-byte random") {
    Pack good;
    good.set_str("hello", "SoftEther VPN Server");
    good.set_int("version", 501);
    good.set_int("build", 9674);
    good.set_data("random", std::array<std::uint8_t, 20>{});
    auto hello = parse_hello(good);
    REQUIRE(hello.ok());
    CHECK(hello->version == 501);

    Pack no_hello = good;
    no_hello.remove("hello");
    CHECK(parse_hello(no_hello).error().code() == ErrorCode::server_not_vpn);
    Pack short_random = good;
    short_random.set_data("random", std::array<std::uint8_t, 19>{});
    CHECK(parse_hello(short_random).error().code() == ErrorCode::server_not_vpn);
    Pack refused = good;
    refused.set_int("error", 16);
    CHECK(parse_hello(refused).error().code() == ErrorCode::hub_is_busy);
}

TEST_CASE("login errors map to vpnse codes with messages naming user and hub") {
    Pack auth;
    auth.set_int("error", 9);
    auto r = parse_login_reply(auth, "bob", "ACME");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::auth_failed);
    CHECK(r.error().message() == "authentication failed for user bob on hub ACME");

    Pack hub;
    hub.set_int("error", 8);
    CHECK(parse_login_reply(hub, "bob", "ACME").error().code() == ErrorCode::hub_not_found);

    Pack odd;
    odd.set_int("error", 777);
    auto unknown = parse_login_reply(odd, "bob", "ACME");
    CHECK(unknown.error().code() == ErrorCode::server_error);
    CHECK_THAT(unknown.error().message(), Catch::Contains("777"));
}

TEST_CASE("the welcome is parsed, with the hub message as data and the timeout clamped") {
    auto reply = parse_login_reply(welcome_pack(), "alice", "TEST");
    REQUIRE(reply.ok());
    const auto& welcome = std::get<Welcome>(*reply);
    CHECK(welcome.session_name == "SID-ALICE-22");
    CHECK(welcome.max_connection == 4);
    CHECK(welcome.use_encrypt);
    CHECK(welcome.timeout_ms == 20000);
    CHECK(welcome.message == "welcome \xe2\x9c\x93");
    CHECK(welcome.policy.max_connection == 32);
    CHECK(welcome.session_key[2] == 3);

    auto fast = welcome_pack();
    fast.set_int("timeout", 1000);
    CHECK(std::get<Welcome>(*parse_login_reply(fast, "a", "h")).timeout_ms == 5000);
    auto slow = welcome_pack();
    slow.set_int("timeout", 100000);
    CHECK(std::get<Welcome>(*parse_login_reply(slow, "a", "h")).timeout_ms == 60000);
    auto unset = welcome_pack();
    unset.remove("timeout");
    CHECK(std::get<Welcome>(*parse_login_reply(unset, "a", "h")).timeout_ms == 20000);

    auto keyless = welcome_pack();
    keyless.set_data("session_key", std::array<std::uint8_t, 19>{});
    CHECK(parse_login_reply(keyless, "a", "h").error().code() == ErrorCode::protocol_error);
}

TEST_CASE("a cluster redirect is recognised before the welcome") {
    Pack redirect;
    redirect.set_int("Redirect", 1);
    redirect.set_int("Ip", 0x0100000a);  // 10.0.0.1, octets reversed
    const std::uint32_t ports[] = {443, 992};
    redirect.set_int_array("Port", ports);
    redirect.set_data("Ticket", std::array<std::uint8_t, 20>{9});
    auto reply = parse_login_reply(redirect, "a", "h");
    REQUIRE(reply.ok());
    const auto& r = std::get<Redirect>(*reply);
    CHECK(r.ip == std::array<std::uint8_t, 4>{10, 0, 0, 1});
    CHECK(r.ports == std::vector<std::uint16_t>{443, 992});
}

TEST_CASE("keep-busy PACKs and additional connections") {
    Pack noop;
    noop.set_int("error", 0);
    noop.set_int("noop", 2);
    CHECK(is_noop(noop));
    CHECK_FALSE(is_noop(welcome_pack()));

    const std::array<std::uint8_t, 20> key{1};
    auto add = build_additional_connect_pack(key, ClientIdentity{});
    CHECK(add.get_str("method") == std::optional<std::string_view>("additional_connect"));
    CHECK(add.get_data("session_key")->size() == 20);

    Pack both;
    both.set_int("error", 0);
    both.set_int("direction", 0);
    CHECK(*parse_additional_connect_reply(both) == Direction::both);
    Pack down;
    down.set_int("direction", 1);
    CHECK(*parse_additional_connect_reply(down) == Direction::server_to_client);
    Pack full;
    full.set_int("error", 15);
    CHECK(parse_additional_connect_reply(full).error().code() == ErrorCode::too_many_connections);
    Pack weird;
    weird.set_int("direction", 7);
    CHECK(parse_additional_connect_reply(weird).error().code() == ErrorCode::protocol_error);
}
