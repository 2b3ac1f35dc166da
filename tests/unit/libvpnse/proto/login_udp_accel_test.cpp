#include <catch2/catch.hpp>

#include "proto/login.hpp"
#include "proto/password.hpp"

using namespace vpnse;
using namespace vpnse::proto;

namespace {
Pack udp_welcome() {
    Pack p;
    p.set_str("session_name", "SID-ALICE-22");
    p.set_str("connection_name", "CID-134");
    p.set_data("session_key", std::array<std::uint8_t, 20>{1, 2, 3});
    p.set_int("use_udp_acceleration", 1);
    p.set_int("udp_acceleration_version", 2);
    p.set_ip("udp_acceleration_server_ip", IpAddress::v4(10, 77, 0, 1));
    p.set_int("udp_acceleration_server_port", 40000);
    p.set_data("udp_acceleration_server_key", Bytes(20, 0x11));
    p.set_data("udp_acceleration_server_key_v2", Bytes(128, 0x22));
    p.set_int("udp_acceleration_server_cookie", 0xabcdef01);
    p.set_int("udp_acceleration_client_cookie", 0x12345678);
    p.set_int("udp_acceleration_use_encryption", 1);
    p.set_int("udp_accel_fast_disconnect_detect", 1);
    return p;
}

LoginRequest alice_login() {
    LoginRequest request;
    request.hub = "TEST";
    request.username = "alice";
    request.password_hash = hash_password("alice", "secret");
    return request;
}
}  // namespace

TEST_CASE("the login offers UDP acceleration with every field the server checks (1.2)") {
    LoginRequest request = alice_login();
    Hello hello;
    hello.server_str = "SoftEther VPN Server";
    auto plain = build_login_pack(request, hello);
    REQUIRE(plain.ok());
    CHECK_FALSE(plain->contains("use_udp_acceleration"));

    UdpAccelOffer offer;
    offer.client_port = 32861;
    offer.key_v1.fill(7);
    offer.key_v2.fill(9);
    request.udp_accel = offer;
    auto pack = build_login_pack(request, hello);
    REQUIRE(pack.ok());
    CHECK(pack->get_int("use_udp_acceleration") == 1u);
    CHECK(pack->get_int("udp_acceleration_max_version") == 2u);
    CHECK(pack->get_int("udp_acceleration_client_port") == 32861u);
    CHECK(pack->get_int("udp_acceleration_client_ip") == 0u);  // 0.0.0.0: the element must be there
    CHECK(pack->contains("udp_acceleration_client_ip@ipv6_bool"));
    CHECK(pack->get_data("udp_acceleration_client_key")->size() == 20);
    CHECK(pack->get_data("udp_acceleration_client_key_v2")->size() == 128);
    CHECK(pack->get_int("support_udp_accel_fast_disconnect_detect") == 1u);
}

TEST_CASE("the welcome's UDP answer: octet-reversed IP, keys, cookies the right way round (1.3)") {
    Pack pack = udp_welcome();
    CHECK(pack.get_int("udp_acceleration_server_ip") == 0x01004D0Au);  // the live wire value
    auto reply = parse_login_reply(pack, "alice", "TEST");
    REQUIRE(reply.ok());
    const auto& welcome = std::get<Welcome>(*reply);
    REQUIRE(welcome.udp_accel);
    const auto& answer = *welcome.udp_accel;
    CHECK(answer.version == 2);
    CHECK(answer.server_ip == IpAddress::v4(10, 77, 0, 1));
    CHECK(answer.server_port == 40000);
    CHECK(answer.server_cookie == 0xabcdef01);
    CHECK(answer.client_cookie == 0x12345678);
    CHECK(answer.key_v2[127] == 0x22);
    CHECK(answer.key_v1[0] == 0x11);
    CHECK(answer.fast_detect);
    CHECK(answer.use_encryption);
}

TEST_CASE("on an IPv6 connection the offer and the answer carry IPv6 addresses (1.2.1, 1.4)") {
    LoginRequest request = alice_login();
    UdpAccelOffer offer;
    offer.client_ip = *IpAddress::parse("::");
    offer.client_port = 40123;
    request.udp_accel = offer;
    auto pack = build_login_pack(request, Hello{});
    REQUIRE(pack.ok());
    CHECK(pack->get_int("udp_acceleration_client_ip@ipv6_bool") == 1u);  // same family as the connection
    CHECK(pack->get_int("udp_acceleration_client_ip") == 0u);
    REQUIRE(pack->get_data("udp_acceleration_client_ip@ipv6_array"));
    CHECK(pack->get_data("udp_acceleration_client_ip@ipv6_array")->size() == 16);

    Pack welcome = udp_welcome();
    welcome.set_ip("udp_acceleration_server_ip", *IpAddress::parse("fd77:250:1::1"));
    auto answer = parse_udp_accel_answer(welcome);
    REQUIRE(answer);
    CHECK(answer->server_ip == *IpAddress::parse("fd77:250:1::1"));
    CHECK(answer->server_port == 40000);

    // ipv6_bool = 1 with an array of the wrong size: no address, so no UDP.
    welcome.set_data("udp_acceleration_server_ip@ipv6_array", Bytes(4, 1));
    CHECK_FALSE(parse_udp_accel_answer(welcome));
}

TEST_CASE("an unusable UDP answer means TCP only") {
    for (const char* drop :
         {"use_udp_acceleration", "udp_acceleration_server_ip", "udp_acceleration_server_port",
          "udp_acceleration_server_cookie", "udp_acceleration_client_cookie"}) {
        Pack pack = udp_welcome();
        pack.remove(drop);
        INFO(drop);
        CHECK_FALSE(parse_udp_accel_answer(pack));
    }
    Pack zero_cookie = udp_welcome();
    zero_cookie.set_int("udp_acceleration_client_cookie", 0);
    CHECK_FALSE(parse_udp_accel_answer(zero_cookie));
    // A missing version means 1; a short key stays all zero, as the server's PackGetData2 does.
    Pack old = udp_welcome();
    old.remove("udp_acceleration_version");
    old.set_data("udp_acceleration_server_key", Bytes(19, 0x11));
    auto answer = parse_udp_accel_answer(old);
    REQUIRE(answer);
    CHECK(answer->version == 1);
    CHECK(answer->key_v1 == std::array<std::uint8_t, 20>{});
}
