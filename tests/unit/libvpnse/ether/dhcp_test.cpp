#include <catch2/catch.hpp>

#include "ether_test_support.hpp"

using namespace ether_test;

namespace {

// BOOTP header of a SecureNAT reply (advanced doc 4.2): op 2, flags 0, ciaddr 0, siaddr = SecureNAT.
Bytes securenat_header(std::uint32_t xid, const char* yiaddr) {
    Bytes out(kDhcpFixedSize, 0);
    out[0] = 2;
    out[1] = 1;
    out[2] = 6;
    store_be32(out.data() + 4, xid);
    store_be32(out.data() + 16, ip4(yiaddr).value);
    store_be32(out.data() + 20, ip4("192.168.30.1").value);
    const Bytes chaddr = hex("5e0000000001");
    std::copy(chaddr.begin(), chaddr.end(), out.begin() + 28);
    return out;
}

Bytes with_options(Bytes header, std::string_view options_hex, bool pad = true) {
    const Bytes options = hex(options_hex);
    header.insert(header.end(), {0x63, 0x82, 0x53, 0x63});
    header.insert(header.end(), options.begin(), options.end());
    if (pad && header.size() < 300)
        header.resize(300, 0);
    return header;
}

DhcpLeaseInfo decode(const Bytes& body) {
    DhcpParseError error{};
    const auto message = parse_dhcp(body, error);
    REQUIRE(message);
    const auto info = decode_lease_info(*message, error);
    REQUIRE(info);
    return *info;
}

DhcpParseError failure(const Bytes& body) {
    DhcpParseError error{};
    const auto message = parse_dhcp(body, error);
    if (message) {
        const auto info = decode_lease_info(*message, error);
        REQUIRE_FALSE(info);
    }
    return error;
}

}  // namespace

TEST_CASE("DHCP: live SecureNAT OFFER (advanced doc 4.1) decodes", "[ether][dhcp]") {
    // 53=2, 54, 51=7200, 1, 3, 6 in SecureNAT's order; zero-padded to 300 bytes.
    const Bytes offer =
        with_options(securenat_header(0x12345678, "192.168.30.10"),
                     "350102 3604c0a81e01 330400001c20 0104ffffff00 0304c0a81e01 0604c0a81e01 ff");
    REQUIRE(offer.size() == 300);
    DhcpParseError error{};
    const auto message = parse_dhcp(offer, error);
    REQUIRE(message);
    CHECK(message->op == 2);
    CHECK(message->xid == 0x12345678);
    CHECK(message->flags == 0);
    CHECK(message->yiaddr == ip4("192.168.30.10"));
    CHECK(message->chaddr == mac("5e:00:00:00:00:01"));
    const auto info = decode(offer);
    CHECK(info.type == DhcpMessageType::offer);
    CHECK(info.server_id == ip4("192.168.30.1"));
    CHECK(info.lease_time == 7200u);
    CHECK_FALSE(info.renewal_time);
    CHECK_FALSE(info.rebinding_time);
    CHECK(info.subnet_mask == ip4("255.255.255.0"));
    REQUIRE(info.routers.size() == 1);
    CHECK(info.dns == std::vector<Ipv4Address>{ip4("192.168.30.1")});
    CHECK_FALSE(info.classless_routes);
    CHECK_FALSE(info.mtu);
}

TEST_CASE("DHCP: option 121 with 249 copy and code-250 continuation", "[ether][dhcp]") {
    // 64 routes /24 (8 bytes each = 512 bytes): 121 carries 255, then 250 chunks of 255 and 2.
    std::vector<Route4> routes;
    for (std::uint32_t i = 0; i < 64; ++i)
        routes.push_back(
            {Ipv4Address::from_octets(10, static_cast<std::uint8_t>(i), 0, 0), 24, ip4("192.168.30.1")});
    routes.push_back({ip4("0.0.0.0"), 0, ip4("192.168.30.254")});
    const Bytes route_bytes = encode_classless_routes(routes);
    REQUIRE(route_bytes.size() == 64 * 8 + 5);
    Bytes body = securenat_header(1, "192.168.30.10");
    body.insert(body.end(), {0x63, 0x82, 0x53, 0x63});
    securenat_option(body, 53, hex("05"));
    securenat_option(body, 54, hex("c0a81e01"));
    securenat_option(body, 3, hex("c0a81e01"));
    securenat_option(body, 121, route_bytes);
    securenat_option(body, 249, route_bytes);
    body.push_back(255);
    // The layout really is 121(255) 250(255) 250(7) 249(255) 250...
    CHECK(body[240 + 3 + 6 + 6] == 121);
    CHECK(body[240 + 3 + 6 + 6 + 257] == 250);
    const auto info = decode(body);
    REQUIRE(info.classless_routes);
    CHECK(*info.classless_routes == routes);

    // 249 alone is used when 121 is absent.
    Bytes only249 = securenat_header(1, "192.168.30.10");
    only249.insert(only249.end(), {0x63, 0x82, 0x53, 0x63});
    securenat_option(only249, 53, hex("05"));
    securenat_option(only249, 249, hex("08 0a c0a81e01"));
    only249.push_back(255);
    const auto info249 = decode(only249);
    REQUIRE(info249.classless_routes);
    CHECK(info249.classless_routes->at(0) == Route4{ip4("10.0.0.0"), 8, ip4("192.168.30.1")});
}

TEST_CASE("DHCP: search list (119) with compression, domain, MTU", "[ether][dhcp]") {
    // "eng.example.com", "example.com" (pointer to offset 4), "corp" + pointer: RFC 3397 section 4.
    const Bytes body = with_options(securenat_header(1, "192.168.30.10"),
                                    "350105 0f0b6578616d706c652e636f6d 1a0205a0 771a "
                                    "03656e67076578616d706c6503636f6d00 c004 04636f7270c004 ff");
    const auto info = decode(body);
    CHECK(info.domain == "example.com");
    CHECK(info.mtu == 1440);
    CHECK(info.search_domains ==
          std::vector<std::string>{"eng.example.com", "example.com", "corp.example.com"});
}

TEST_CASE("DHCP: hostile options are rejected with a reason, never a crash", "[ether][dhcp]") {
    const auto base = [] { return securenat_header(1, "192.168.30.10"); };
    CHECK(failure(Bytes(100, 0)) == DhcpParseError::truncated);
    CHECK(failure(with_options(base(), "350102 03", false)) == DhcpParseError::option_truncated);
    // Overlong: length 0x40 with only a few bytes left in the 300-byte message.
    Bytes overlong = with_options(base(), "");
    overlong.resize(296);
    overlong.insert(overlong.end(), {53, 1, 2, 6, 0x40});
    CHECK(failure(overlong) == DhcpParseError::option_truncated);
    CHECK(failure(with_options(base(), "fa0101 350102 ff")) == DhcpParseError::orphan_continuation);
    CHECK(failure(with_options(base(), "3602c0a8 350102 ff")) == DhcpParseError::bad_option_value);
    CHECK(failure(with_options(base(), "0103ffffff 350102 ff")) == DhcpParseError::bad_option_value);
    CHECK(failure(with_options(base(), "0303c0a81e 350102 ff")) == DhcpParseError::bad_option_value);
    CHECK(failure(with_options(base(), "0104ffffff00 ff")) == DhcpParseError::missing_message_type);
    CHECK(failure(with_options(base(), "350109 ff")) == DhcpParseError::bad_option_value);
    // 119 pointer loops: to itself, and forward.
    CHECK(failure(with_options(base(), "350105 7702c000 ff")) == DhcpParseError::bad_search_list);
    CHECK(failure(with_options(base(), "350105 7706 0161c0040000 ff")) == DhcpParseError::bad_search_list);
    CHECK(failure(with_options(base(), "350105 770401610162 ff")) == DhcpParseError::bad_search_list);
    // 121: prefix > 32, and truncated entry.
    CHECK(failure(with_options(base(), "350105 790521c0a81e01 ff")) == DhcpParseError::bad_routes);
    CHECK(failure(with_options(base(), "350105 7904080ac0a8 ff")) == DhcpParseError::bad_routes);
    // Bad magic.
    Bytes magic = with_options(base(), "350102 ff");
    magic[236] = 0;
    CHECK(failure(magic) == DhcpParseError::bad_magic);
}

TEST_CASE("DHCP: option overload is read once, not recursively", "[ether][dhcp]") {
    Bytes body = securenat_header(1, "192.168.30.10");
    // file (offset 108) holds the message type and another overload option, which must be ignored.
    const Bytes file_options = hex("350102 340103 ff");
    std::copy(file_options.begin(), file_options.end(), body.begin() + 108);
    body = with_options(body, "340101 ff");
    const auto info = decode(body);
    CHECK(info.type == DhcpMessageType::offer);
}

TEST_CASE("DHCP: client messages carry no pad bytes between options", "[ether][dhcp]") {
    DhcpMessage message;
    message.op = 1;
    message.xid = 0xabcdef01;
    message.chaddr = mac("5e:00:00:00:00:01");
    message.add(dhcp_option::message_type, hex("01"));
    message.add(dhcp_option::parameter_list, hex("0103060f"));
    const Bytes body = serialize_dhcp(message);
    CHECK(body.size() == 300);
    CHECK(Bytes(body.begin() + 236, body.begin() + 252) == hex("63825363 350101 37040103060f ff 0000"));
    DhcpParseError error{};
    const auto back = parse_dhcp(body, error);
    REQUIRE(back);
    CHECK(back->xid == 0xabcdef01);
    // Long options are split by repeating the code (RFC 3396) and rejoined by the parser.
    message.add(dhcp_option::hostname, Bytes(300, 'a'));
    const auto long_back = parse_dhcp(serialize_dhcp(message), error);
    REQUIRE(long_back);
    CHECK(long_back->find(dhcp_option::hostname)->data.size() == 300);
}
