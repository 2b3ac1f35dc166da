#include <catch2/catch.hpp>

#include "ether_test_support.hpp"

using namespace ether_test;
using namespace std::chrono_literals;

namespace {

const MacAddress kOurMac = FakeSecureNat::mac_of("5e:00:00:00:00:01");
const MacAddress kNatMac = FakeSecureNat::mac_of("5e:70:86:1a:da:5c");

NetworkConfig static_config() {
    NetworkConfig config;
    config.address = Ipv4Address::from_octets(192, 168, 30, 5);
    config.prefix_length = 24;
    config.gateway = Ipv4Address::from_octets(192, 168, 30, 1);
    config.routes.push_back(
        {Ipv4Address::from_octets(10, 0, 0, 0), 8, Ipv4Address::from_octets(192, 168, 30, 254)});
    return config;
}

struct Endpoint {
    RecordingHost host;
    SeededRandom rng{42};
    EndpointOptions options;
    std::optional<VirtualEthernet> endpoint;
    TimePoint t0 = TimePoint{} + 1000s;

    explicit Endpoint(bool dhcp, bool ipv6 = false) {
        options.mac = kOurMac;
        options.use_dhcp = dhcp;
        options.enable_ipv6 = ipv6;
        if (!dhcp)
            options.static_config = static_config();
    }
    VirtualEthernet& start() {
        endpoint.emplace(options, host, rng);
        endpoint->start(t0);
        return *endpoint;
    }
    VirtualEthernet* operator->() { return &*endpoint; }
    void clear() { host.frames.clear(); }
};

Bytes ipv4_frame_to_us(const Bytes& packet, const MacAddress& destination = kOurMac) {
    return frame(destination, kNatMac, kEtherTypeIpv4, packet);
}

// Brings a DHCP endpoint to BOUND through the fake SecureNAT.
void dora(Endpoint& e, FakeSecureNat& nat, std::size_t& cursor) {
    e.start();
    pump(*e.endpoint, e.host, nat, e.t0, cursor);
    REQUIRE(e->configured());
}

}  // namespace

TEST_CASE("ARP: hub poll from 172.31.x.y is answered, never a conflict, never learned", "[ether][endpoint]") {
    Endpoint e(false);
    e.start();
    e.clear();
    // who-has 192.168.30.5 tell 172.31.85.173, unicast from 00:ae:54:ac:90:8a (softether-protocol.md 13).
    const Bytes poll =
        hex("5e0000000001 00ae54ac908a 0806 0001 0800 0604 0001 00ae54ac908a ac1f55ad 000000000000 c0a81e05");
    e->handle_frame(poll, e.t0);
    REQUIRE(e.host.frames.size() == 1);
    CHECK(e.host.frames[0] == hex("00ae54ac908a 5e0000000001 0806 0001 0800 0604 0002 5e0000000001 c0a81e05 "
                                  "00ae54ac908a ac1f55ad"));
    CHECK(e->counters().address_conflicts == 0);
    CHECK(e->counters().arp_replies_sent == 1);
    CHECK(e->counters().total_dropped() == 0);
    // Sending to 172.31.85.173 must not use the hub's MAC: it goes to the gateway (queued for ARP).
    e.clear();
    e->send_packet(icmp_echo(ip4("192.168.30.5"), ip4("172.31.85.173")), e.t0);
    REQUIRE(e.host.frames.size() == 1);
    const auto arp = parse_arp(ByteSpan(e.host.frames[0]).subspan(14));
    REQUIRE(arp);
    CHECK(arp->target_ip == ip4("192.168.30.1"));
}

TEST_CASE("ARP: requests for other addresses are not answered", "[ether][endpoint]") {
    Endpoint e(false);
    e.start();
    e.clear();
    e->handle_frame(arp_frame(MacAddress::broadcast(),
                              {kArpRequest, kNatMac, ip4("192.168.30.1"), {}, ip4("192.168.30.99")}),
                    e.t0);
    CHECK(e.host.frames.empty());
}

TEST_CASE("Static configuration: applied at start with a gratuitous ARP", "[ether][endpoint]") {
    Endpoint e(false);
    e.start();
    CHECK(e->configured());
    REQUIRE(e.host.configs.size() == 1);
    CHECK(e.host.configs[0].address == ip4("192.168.30.5"));
    CHECK(e.host.configs[0].source == ConfigSource::static_config);
    CHECK(e.host.configs[0].mtu == 1500);
    REQUIRE(e.host.frames.size() == 1);
    CHECK(e.host.frames[0] == hex("ffffffffffff 5e0000000001 0806 0001 0800 0604 0001 5e0000000001 c0a81e05 "
                                  "000000000000 c0a81e05"));
}

TEST_CASE("IPv4 out: gateway, on-link, pushed route, broadcast, multicast", "[ether][endpoint]") {
    Endpoint e(false);
    e.start();
    e.clear();
    const Ipv4Address me = ip4("192.168.30.5");

    SECTION("off-link goes to the gateway after ARP; later packets go straight out") {
        const Bytes ping = icmp_echo(me, ip4("8.8.8.8"));
        e->send_packet(ping, e.t0);
        REQUIRE(e.host.frames.size() == 1);  // the ARP request only
        CHECK(e.host.frames[0] == hex("ffffffffffff 5e0000000001 0806 0001 0800 0604 0001 5e0000000001 "
                                      "c0a81e05 000000000000 c0a81e01"));
        CHECK(e->pending_packets() == 1);
        e->handle_frame(arp_frame(kOurMac, {kArpReply, kNatMac, ip4("192.168.30.1"), kOurMac, me}), e.t0);
        REQUIRE(e.host.frames.size() == 2);
        CHECK(e.host.frames[1] == frame(kNatMac, kOurMac, kEtherTypeIpv4, ping));
        CHECK(e->pending_packets() == 0);
        e->send_packet(ping, e.t0 + 1s);
        e->send_packet(ping, e.t0 + 2s);
        REQUIRE(e.host.frames.size() == 4);
        CHECK(e.host.frames[3] == frame(kNatMac, kOurMac, kEtherTypeIpv4, ping));
        // Steady state reuses one buffer.
        CHECK(e.host.frame_data[2] == e.host.frame_data[3]);
        CHECK(e->counters().packets_sent == 3);
    }
    SECTION("on-link peer is resolved itself") {
        e->send_packet(icmp_echo(me, ip4("192.168.30.20")), e.t0);
        CHECK(parse_arp(ByteSpan(e.host.frames.at(0)).subspan(14))->target_ip == ip4("192.168.30.20"));
    }
    SECTION("pushed route 10.0.0.0/8 via .254") {
        e->send_packet(icmp_echo(me, ip4("10.1.2.3")), e.t0);
        CHECK(parse_arp(ByteSpan(e.host.frames.at(0)).subspan(14))->target_ip == ip4("192.168.30.254"));
    }
    SECTION("broadcasts and multicast need no resolution") {
        const Bytes subnet = icmp_echo(me, ip4("192.168.30.255"));
        const Bytes limited = icmp_echo(me, ip4("255.255.255.255"));
        const Bytes mdns = icmp_echo(me, ip4("224.0.0.251"));
        e->send_packet(subnet, e.t0);
        e->send_packet(limited, e.t0);
        e->send_packet(mdns, e.t0);
        REQUIRE(e.host.frames.size() == 3);
        CHECK(e.host.frames[0] == frame(MacAddress::broadcast(), kOurMac, kEtherTypeIpv4, subnet));
        CHECK(e.host.frames[1] == frame(MacAddress::broadcast(), kOurMac, kEtherTypeIpv4, limited));
        CHECK(e.host.frames[2] == frame(mac("01:00:5e:00:00:fb"), kOurMac, kEtherTypeIpv4, mdns));
    }
    SECTION("oversized and non-IP packets are dropped with a reason") {
        e->send_packet(Bytes(1501, 0x45), e.t0);
        e->send_packet(hex("1234"), e.t0);
        CHECK(e->counters().drops(DropReason::packet_too_large) == 1);
        CHECK(e->counters().drops(DropReason::malformed_outgoing) == 1);
    }
}

TEST_CASE("Pending queue is bounded (drop-oldest) and gives up after unanswered ARP", "[ether][endpoint]") {
    Endpoint e(false);
    e.options.max_pending_packets = 4;
    e.start();
    e.clear();
    for (std::uint16_t i = 0; i < 6; ++i)
        e->send_packet(icmp_echo(ip4("192.168.30.5"), ip4("8.8.8.8"), i), e.t0);
    CHECK(e->pending_packets() == 4);
    CHECK(e->counters().drops(DropReason::pending_overflow) == 2);
    CHECK(e.host.frames.size() == 1);  // one ARP request, not six
    // Retransmits at 1 s intervals, 3 probes in all, then drops the queue.
    CHECK(e->next_deadline() == e.t0 + 1s);
    e->handle_timeout(e.t0 + 1s);
    e->handle_timeout(e.t0 + 2s);
    CHECK(e.host.frames.size() == 3);
    e->handle_timeout(e.t0 + 3s);
    CHECK(e->pending_packets() == 0);
    CHECK(e->counters().drops(DropReason::resolution_failed) == 4);
    // The oldest were evicted: a late reply flushes nothing.
    e->handle_frame(
        arp_frame(kOurMac, {kArpReply, kNatMac, ip4("192.168.30.1"), kOurMac, ip4("192.168.30.5")}),
        e.t0 + 4s);
    CHECK(e.host.frames.size() == 3);
}

TEST_CASE("Frames in: delivery, filtering and counted drops", "[ether][endpoint]") {
    Endpoint e(false);
    e.start();
    const Bytes ping = icmp_echo(ip4("192.168.30.1"), ip4("192.168.30.5"));

    SECTION("unicast IPv4 to us is delivered as a view of the frame, Ethernet padding trimmed") {
        Bytes raw = ipv4_frame_to_us(ping);
        raw.resize(raw.size() + 10, 0);  // padding
        e->handle_frame(raw, e.t0);
        REQUIRE(e.host.packets.size() == 1);
        CHECK(e.host.packets[0] == ping);
        CHECK(e.host.packet_data[0] == raw.data() + 14);
    }
    SECTION("SecureNAT beacon to the subnet broadcast is delivered; unicast for other IPs is not") {
        Bytes beacon;
        append_ipv4_udp(beacon, ip4("192.168.30.1"), ip4("192.168.30.255"), 7, 7,
                        as_bytes(std::string_view("SecureNAT Virtual TCP/IP Stack Beacon\0", 38)), 128);
        e->handle_frame(ipv4_frame_to_us(beacon, MacAddress::broadcast()), e.t0);
        CHECK(e.host.packets.size() == 1);
        e->handle_frame(ipv4_frame_to_us(icmp_echo(ip4("192.168.30.1"), ip4("192.168.30.6"))), e.t0);
        CHECK(e->counters().drops(DropReason::ipv4_not_for_us) == 1);
    }
    SECTION("drops: wrong MAC, unknown ethertype, short, bad source, reflected, bad checksum") {
        e->handle_frame(ipv4_frame_to_us(ping, mac("5e:00:00:00:00:02")), e.t0);
        e->handle_frame(frame(kOurMac, kNatMac, 0x88cc, hex("00")), e.t0);
        e->handle_frame(frame(kOurMac, kNatMac, kEtherTypeVlan, hex("000a0800")), e.t0);
        e->handle_frame(hex("5e0000000001"), e.t0);
        e->handle_frame(frame(kOurMac, MacAddress{}, kEtherTypeIpv4, ping), e.t0);
        e->handle_frame(frame(MacAddress::broadcast(), kOurMac, kEtherTypeIpv4, ping), e.t0);
        Bytes corrupt = ping;
        corrupt[8] ^= 0xff;
        e->handle_frame(ipv4_frame_to_us(corrupt), e.t0);
        e->handle_frame(frame(kOurMac, kNatMac, kEtherTypeArp, hex("0001")), e.t0);
        const auto& c = e->counters();
        CHECK(c.drops(DropReason::wrong_destination_mac) == 1);
        CHECK(c.drops(DropReason::unknown_ethertype) == 2);
        CHECK(c.drops(DropReason::frame_too_short) == 1);
        CHECK(c.drops(DropReason::bad_source_mac) == 1);
        CHECK(c.drops(DropReason::own_source_mac) == 1);
        CHECK(c.drops(DropReason::malformed_ipv4) == 1);
        CHECK(c.drops(DropReason::malformed_arp) == 1);
        CHECK(c.frames_in == 8);
        CHECK(e.host.packets.empty());
    }
}

TEST_CASE("DHCP: full DORA against the fake SecureNAT", "[ether][dhcp][endpoint]") {
    Endpoint e(true);
    e.options.hostname = "laptop";
    FakeSecureNat nat;
    e.start();
    REQUIRE(e.host.frames.size() == 1);
    Ipv4Header ip{};
    const auto discover = dhcp_of(e.host.frames[0], &ip);
    REQUIRE(discover);
    CHECK(dhcp_type(*discover) == DhcpMessageType::discover);
    CHECK(parse_ethernet(e.host.frames[0])->destination.is_broadcast());
    CHECK(ip.source.is_zero());
    CHECK(ip.destination.is_limited_broadcast());
    CHECK(discover->chaddr == kOurMac);
    CHECK(as_text(discover->find(dhcp_option::hostname)->data) == "laptop");
    // The UDP checksum over the pseudo-header verifies.
    {
        const ByteSpan udp = ByteSpan(e.host.frames[0]).subspan(14 + 20);
        const ByteSpan packet = ByteSpan(e.host.frames[0]).subspan(14);
        const auto pseudo = csum_pseudo_header(packet.subspan(12, 4), packet.subspan(16, 4), kIpProtoUdp,
                                               static_cast<std::uint32_t>(udp.size()));
        CHECK(csum_finish(csum_add(udp, pseudo)) == 0);
    }
    std::size_t cursor = 0;
    pump(*e.endpoint, e.host, nat, e.t0, cursor);
    const auto request = dhcp_of(e.host.frames.at(1));
    REQUIRE(request);
    CHECK(dhcp_type(*request) == DhcpMessageType::request);
    CHECK(request->xid == discover->xid);
    CHECK(request->find(dhcp_option::requested_ip)->data == hex("c0a81e0a"));
    CHECK(request->find(dhcp_option::server_id)->data == hex("c0a81e01"));
    CHECK(nat.discovers == 1);
    CHECK(nat.requests == 1);
    REQUIRE(e->configured());
    const NetworkConfig& config = e->config();
    CHECK(config.source == ConfigSource::dhcp);
    CHECK(config.address == ip4("192.168.30.10"));
    CHECK(config.prefix_length == 24);
    CHECK(config.gateway == ip4("192.168.30.1"));
    CHECK(config.dns == std::vector<Ipv4Address>{ip4("192.168.30.1")});
    CHECK(config.dhcp_server == ip4("192.168.30.1"));
    CHECK(config.lease_time == 7200s);
    CHECK(config.renewal_time == 3600s);
    CHECK(config.rebinding_time == 6300s);
    CHECK(config.mtu == 1500);
    CHECK(e->dhcp_state() == DhcpState::bound);
    CHECK(e.host.configs.back() == config);
    // A gratuitous ARP announced the new address.
    const auto announce = parse_arp(ByteSpan(e.host.frames.at(2)).subspan(14));
    REQUIRE(announce);
    CHECK(announce->sender_ip == ip4("192.168.30.10"));
    CHECK(announce->target_ip == ip4("192.168.30.10"));
    CHECK(e->next_deadline() == e.t0 + 3600s);
}

TEST_CASE("DHCP: pushed routes follow RFC 3442 (option 3 ignored when 121 present)",
          "[ether][dhcp][endpoint]") {
    FakeSecureNat nat;
    SECTION("no default in 121: no gateway, option 3 kept as router") {
        nat.push_routes = {{ip4("10.0.0.0"), 8, ip4("192.168.30.1")}};
        Endpoint e(true);
        std::size_t cursor = 0;
        dora(e, nat, cursor);
        CHECK(e->config().gateway.is_zero());
        CHECK(e->config().router == ip4("192.168.30.1"));
        CHECK(e->config().routes == nat.push_routes);
    }
    SECTION("0.0.0.0/0 in 121 becomes the gateway") {
        nat.push_routes = {{ip4("0.0.0.0"), 0, ip4("192.168.30.2")},
                           {ip4("172.16.0.0"), 12, ip4("192.168.30.3")}};
        Endpoint e(true);
        std::size_t cursor = 0;
        dora(e, nat, cursor);
        CHECK(e->config().gateway == ip4("192.168.30.2"));
        REQUIRE(e->config().routes.size() == 1);
        CHECK(e->config().routes[0].prefix_length == 12);
    }
}

TEST_CASE("DHCP: renew at 50%, rebind at 87.5%, expiry loses the lease and restarts",
          "[ether][dhcp][endpoint]") {
    Endpoint e(true);
    e.options.dhcp_jitter = Duration{0};
    FakeSecureNat nat;
    std::size_t cursor = 0;
    dora(e, nat, cursor);
    e.clear();
    cursor = 0;
    // T1: unicast REQUEST with ciaddr to the server; ARP for the server first.
    e->handle_timeout(e.t0 + 3599s);
    CHECK(e.host.frames.empty());
    e->handle_timeout(e.t0 + 3600s);
    CHECK(e->dhcp_state() == DhcpState::renewing);
    REQUIRE(e.host.frames.size() == 1);
    CHECK(parse_arp(ByteSpan(e.host.frames[0]).subspan(14))->target_ip == ip4("192.168.30.1"));
    // Nobody answers: the renewal retransmits at half the time to T2 (1350 s), then rebinding at T2.
    for (auto t : {3601s, 3602s, 3603s})
        e->handle_timeout(e.t0 + t);  // ARP gives up after 3 probes
    CHECK(e->next_deadline() == e.t0 + 3600s + 1350s);
    e.clear();
    e->handle_timeout(e.t0 + 6300s);
    CHECK(e->dhcp_state() == DhcpState::rebinding);
    Ipv4Header ip{};
    const auto rebind = dhcp_of(e.host.frames.at(0), &ip);
    REQUIRE(rebind);
    CHECK(dhcp_type(*rebind) == DhcpMessageType::request);
    CHECK(rebind->ciaddr == ip4("192.168.30.10"));
    CHECK(ip.destination.is_limited_broadcast());
    CHECK_FALSE(rebind->find(dhcp_option::server_id));
    // Expiry.
    e.clear();
    e->handle_timeout(e.t0 + 7200s);
    CHECK(e.host.leases_lost == 1);
    CHECK_FALSE(e->configured());
    CHECK(e->dhcp_state() == DhcpState::selecting);
    CHECK(dhcp_type(*dhcp_of(e.host.frames.at(0))) == DhcpMessageType::discover);
}

TEST_CASE("DHCP: successful renewal through the fake server", "[ether][dhcp][endpoint]") {
    Endpoint e(true);
    FakeSecureNat nat;
    std::size_t cursor = 0;
    dora(e, nat, cursor);
    const TimePoint t1 = e.t0 + 3600s;
    e->handle_timeout(t1);
    pump(*e.endpoint, e.host, nat, t1, cursor);  // ARP for the server, then the unicast REQUEST, then ACK
    CHECK(nat.requests == 2);
    CHECK(nat.arp_answers == 1);
    CHECK(e->dhcp_state() == DhcpState::bound);
    CHECK(e->next_deadline() == t1 + 3600s);
    CHECK(e.host.leases_lost == 0);
}

TEST_CASE("DHCP: NAK restarts discovery; repeated NAKs back off", "[ether][dhcp][endpoint]") {
    Endpoint e(true);
    FakeSecureNat nat;
    nat.nak_requests = true;
    e.start();
    std::size_t cursor = 0;
    const std::uint32_t first_xid = dhcp_of(e.host.frames[0])->xid;
    // First pass: DISCOVER, OFFER, REQUEST, NAK -> DISCOVER (new xid) -> ... -> NAK again -> wait.
    pump(*e.endpoint, e.host, nat, e.t0, cursor);
    CHECK(nat.discovers == 2);
    CHECK(nat.requests == 2);
    CHECK(e->dhcp_state() == DhcpState::declined);
    CHECK(e->next_deadline() == e.t0 + 2s);
    std::vector<std::uint32_t> xids;
    for (const auto& f : e.host.frames)
        if (auto m = dhcp_of(f); m && dhcp_type(*m) == DhcpMessageType::discover)
            xids.push_back(m->xid);
    REQUIRE(xids.size() == 2);
    CHECK(xids[0] == first_xid);
    CHECK(xids[1] != first_xid);
    // A good server afterwards ends it.
    nat.nak_requests = false;
    e->handle_timeout(e.t0 + 2s);
    pump(*e.endpoint, e.host, nat, e.t0 + 2s, cursor);
    CHECK(e->configured());
}

TEST_CASE("DHCP: NAK while bound loses the lease", "[ether][dhcp][endpoint]") {
    Endpoint e(true);
    FakeSecureNat nat;
    std::size_t cursor = 0;
    dora(e, nat, cursor);
    nat.nak_requests = true;
    e->handle_timeout(e.t0 + 3600s);
    pump(*e.endpoint, e.host, nat, e.t0 + 3600s, cursor);
    CHECK(e.host.leases_lost == 1);
    CHECK_FALSE(e.host.configs.back().has_ipv4());
    // Restarted at once (DISCOVER, OFFER, REQUEST), NAKed again, so now backing off.
    CHECK(nat.discovers == 2);
    CHECK(e->dhcp_state() == DhcpState::declined);
}

TEST_CASE("DHCP: DISCOVER retransmits with exponential backoff", "[ether][dhcp][endpoint]") {
    Endpoint e(true);
    e.start();
    TimePoint now = e.t0;
    const std::int64_t expected[] = {4, 8, 16, 32, 64, 64, 64};
    for (std::int64_t base : expected) {
        const auto deadline = e->next_deadline();
        REQUIRE(deadline);
        const auto delay = std::chrono::duration_cast<Duration>(*deadline - now).count();
        CHECK(delay >= base * 1000 - 1000);
        CHECK(delay <= base * 1000 + 1000);
        now = *deadline;
        e->handle_timeout(now);
    }
    CHECK(e.host.frames.size() == 8);
    for (const auto& f : e.host.frames)
        CHECK(dhcp_type(*dhcp_of(f)) == DhcpMessageType::discover);
}

TEST_CASE("DHCP: REQUEST retransmits, then falls back to DISCOVER", "[ether][dhcp][endpoint]") {
    Endpoint e(true);
    e.options.dhcp_jitter = Duration{0};
    FakeSecureNat nat;
    e.start();
    // Hand over only the OFFER; never answer the REQUEST.
    for (const auto& reply : nat.on_frame(e.host.frames[0]))
        e->handle_frame(reply, e.t0);
    CHECK(e->dhcp_state() == DhcpState::requesting);
    TimePoint now = e.t0;
    for (int i = 0; i < 4; ++i) {
        now = *e->next_deadline();
        e->handle_timeout(now);
    }
    CHECK(e->dhcp_state() == DhcpState::selecting);
    CHECK(dhcp_type(*dhcp_of(e.host.frames.back())) == DhcpMessageType::discover);
}

TEST_CASE("DHCP: replies for another client, another xid, or malformed are dropped and counted",
          "[ether][dhcp][endpoint]") {
    Endpoint e(true);
    FakeSecureNat nat;
    e.start();
    auto request = *dhcp_of(e.host.frames[0]);
    auto send_reply = [&](const DhcpMessage& to) {
        Bytes packet;
        append_ipv4_udp(packet, nat.address, Ipv4Address::limited_broadcast(), 67, 68,
                        nat.reply(to, DhcpMessageType::offer, nat.next_free), 128);
        e->handle_frame(frame(MacAddress::broadcast(), nat.mac, kEtherTypeIpv4, packet), e.t0);
    };
    DhcpMessage other = request;
    other.chaddr = mac("5e:11:22:33:44:55");  // another session's client: every OFFER is broadcast
    send_reply(other);
    DhcpMessage stale = request;
    stale.xid ^= 1;
    send_reply(stale);
    CHECK(e->counters().drops(DropReason::dhcp_wrong_chaddr) == 1);
    CHECK(e->counters().drops(DropReason::dhcp_wrong_xid) == 1);
    CHECK(e->dhcp_state() == DhcpState::selecting);
    // A malformed reply: option length running off the end.
    Bytes body = nat.reply(request, DhcpMessageType::offer, nat.next_free);
    body.resize(245);
    body.back() = 0xff;  // the lease-time option's length byte now claims 255 bytes
    body[243] = 51;
    body[244] = 0xff;
    Bytes packet;
    append_ipv4_udp(packet, nat.address, Ipv4Address::limited_broadcast(), 67, 68, body, 128);
    e->handle_frame(frame(MacAddress::broadcast(), nat.mac, kEtherTypeIpv4, packet), e.t0);
    CHECK(e->counters().drops(DropReason::malformed_dhcp) == 1);
    CHECK(e->counters().last_dhcp_error == DhcpParseError::option_truncated);
    // The real one still works.
    send_reply(request);
    CHECK(e->dhcp_state() == DhcpState::requesting);
}

TEST_CASE("DHCP: address conflict sends DECLINE, loses the lease, restarts after 10 s",
          "[ether][dhcp][endpoint]") {
    Endpoint e(true);
    FakeSecureNat nat;
    std::size_t cursor = 0;
    dora(e, nat, cursor);
    e.clear();
    // Not a conflict: the hub's poll and the hub's own MAC.
    e->handle_frame(
        arp_frame(kOurMac,
                  {kArpRequest, mac("00:ae:54:ac:90:8a"), ip4("172.31.85.173"), {}, ip4("192.168.30.10")}),
        e.t0);
    CHECK(e->counters().address_conflicts == 0);
    e.clear();
    e->handle_frame(
        arp_frame(MacAddress::broadcast(), {kArpReply, mac("5e:99:99:99:99:99"), ip4("192.168.30.10"),
                                            MacAddress::broadcast(), ip4("192.168.30.10")}),
        e.t0 + 5s);
    CHECK(e->counters().address_conflicts == 1);
    CHECK(e.host.leases_lost == 1);
    CHECK_FALSE(e->configured());
    REQUIRE(e.host.frames.size() == 1);
    const auto decline = dhcp_of(e.host.frames[0]);
    REQUIRE(decline);
    CHECK(dhcp_type(*decline) == DhcpMessageType::decline);
    CHECK(decline->find(dhcp_option::requested_ip)->data == hex("c0a81e0a"));
    CHECK(e->next_deadline() == e.t0 + 15s);
    e->handle_timeout(e.t0 + 15s);
    CHECK(e->dhcp_state() == DhcpState::selecting);
}

TEST_CASE("DHCP: INFORM fills DNS for a static address; RELEASE on disconnect", "[ether][dhcp][endpoint]") {
    SECTION("inform") {
        Endpoint e(false);
        e.options.dhcp_inform = true;
        e.options.static_config->dns.clear();
        e.start();
        auto inform = dhcp_of(e.host.frames.at(1));
        REQUIRE(inform);
        CHECK(dhcp_type(*inform) == DhcpMessageType::inform);
        CHECK(inform->ciaddr == ip4("192.168.30.5"));
        FakeSecureNat nat;
        Bytes packet;
        // SecureNAT answers INFORM with ciaddr 0 and yiaddr 0 (advanced doc 4.2).
        append_ipv4_udp(packet, nat.address, ip4("192.168.30.5"), 67, 68,
                        nat.reply(*inform, DhcpMessageType::ack, {}), 128);
        e->handle_frame(frame(kOurMac, nat.mac, kEtherTypeIpv4, packet), e.t0);
        CHECK(e->config().dns == std::vector<Ipv4Address>{ip4("192.168.30.1")});
        CHECK(e->config().address == ip4("192.168.30.5"));
        CHECK(e->dhcp_state() == DhcpState::idle);
    }
    SECTION("release") {
        Endpoint e(true);
        FakeSecureNat nat;
        std::size_t cursor = 0;
        dora(e, nat, cursor);
        e.clear();
        e->release(e.t0 + 10s);
        CHECK_FALSE(e->configured());
        CHECK(e.host.leases_lost == 0);
        CHECK(e->dhcp_state() == DhcpState::released);
        CHECK_FALSE(e->next_deadline());
        REQUIRE(e.host.frames.size() == 1);
        Ipv4Header ip{};
        const auto release = dhcp_of(e.host.frames[0], &ip);
        REQUIRE(release);
        CHECK(dhcp_type(*release) == DhcpMessageType::release);
        CHECK(release->ciaddr == ip4("192.168.30.10"));
        CHECK(ip.destination == ip4("192.168.30.1"));
        // The server's MAC was never learned: a RELEASE cannot wait for ARP, so it is broadcast.
        CHECK(parse_ethernet(e.host.frames[0])->destination.is_broadcast());
    }
}

TEST_CASE("IPv6: link-local, NS from the hub answered, RS without RA stays link-local",
          "[ether][ipv6][endpoint]") {
    Endpoint e(false, true);
    e.start();
    const Ipv6Address ll = ip6("fe80::5c00:ff:fe00:1");
    CHECK(e->config().ipv6_link_local == ll);
    // DAD NS, RS, gratuitous ARP.
    REQUIRE(e.host.frames.size() == 3);
    CHECK(parse_ethernet(e.host.frames[0])->destination == mac("33:33:ff:00:00:01"));
    CHECK(parse_ethernet(e.host.frames[1])->destination == mac("33:33:00:00:00:02"));
    e.clear();

    // The hub polls from fe80::2ae:… with an 00:ae MAC (softether-protocol.md 13).
    const Ipv6Address poller = ip6("fe80::2ae:54ff:feac:908a");
    const MacAddress hub = mac("00:ae:54:ac:90:8a");
    const Bytes ns = build_neighbor_solicitation(poller, ll, ll, hub);
    e->handle_frame(frame(kOurMac, hub, kEtherTypeIpv6, ipv6_packet(poller, ll, kIpProtoIcmpv6, ns)), e.t0);
    REQUIRE(e.host.frames.size() == 1);
    const Bytes& reply = e.host.frames[0];
    CHECK(parse_ethernet(reply)->destination == hub);
    const auto ip = parse_ipv6(ByteSpan(reply).subspan(14));
    REQUIRE(ip);
    CHECK(ip->destination == poller);
    CHECK(ip->source == ll);
    NdParseError error{};
    const auto na = parse_nd(*ip, ByteSpan(reply).subspan(54), error);
    REQUIRE(na);
    CHECK(na->type == NdType::neighbor_advertisement);
    CHECK(na->target == ll);
    CHECK(na->solicited_flag);
    CHECK(na->target_link_address == kOurMac);
    CHECK(e.host.packets.empty());  // ND is consumed

    // RS retransmits: 3 in all at 4 s, then no more timers for IPv6.
    e.clear();
    e->handle_timeout(e.t0 + 4s);
    e->handle_timeout(e.t0 + 8s);
    e->handle_timeout(e.t0 + 12s);
    CHECK(e.host.frames.size() == 2);
    CHECK_FALSE(e->next_deadline());
    CHECK(e->config().ipv6_address.is_zero());
    // Global destinations have no route without a router.
    e->send_packet(ipv6_packet(ll, ip6("2001:db8::1"), 59, {}), e.t0 + 13s);
    CHECK(e->counters().drops(DropReason::no_route) == 1);
}

TEST_CASE("IPv6: RA gives a SLAAC address, router and RDNSS; packets resolve the router via NS/NA",
          "[ether][ipv6][endpoint]") {
    Endpoint e(false, true);
    e.start();
    e.clear();
    const Ipv6Address router = ip6("fe80::1");
    const MacAddress router_mac = mac("5e:aa:bb:cc:dd:ee");
    // RA without a source link-layer option, so the router must be resolved by NS.
    Bytes ra = hex("86 00 0000 40 00 0708 00000000 00000000 0304 40c0 00015180 00003840 00000000");
    {
        ByteWriter w(ra);
        w.bytes(ip6("2001:db8:1::").bytes);
        w.bytes(hex("1903 0000 00000e10"));
        w.bytes(ip6("2001:db8::53").bytes);
        store_be16(ra.data() + 2, ipv6_upper_checksum(router, ip6("ff02::1"), kIpProtoIcmpv6, ra));
    }
    e->handle_frame(frame(mac("33:33:00:00:00:01"), router_mac, kEtherTypeIpv6,
                          ipv6_packet(router, ip6("ff02::1"), 58, ra)),
                    e.t0);
    const Ipv6Address global = ip6("2001:db8:1::5c00:ff:fe00:1");
    CHECK(e->config().ipv6_address == global);
    CHECK(e->config().ipv6_prefix_length == 64);
    CHECK(e->config().ipv6_router == router);
    CHECK(e->config().ipv6_dns == std::vector<Ipv6Address>{ip6("2001:db8::53")});
    CHECK(e.host.configs.back() == e->config());

    const Bytes packet = ipv6_packet(global, ip6("2001:db8:99::1"), 59, {}, 64);
    e->send_packet(packet, e.t0);
    REQUIRE(e.host.frames.size() == 1);
    CHECK(parse_ethernet(e.host.frames[0])->destination ==
          mac("33:33:ff:00:00:01"));  // solicited-node of fe80::1
    const auto ns_ip = parse_ipv6(ByteSpan(e.host.frames[0]).subspan(14));
    NdParseError error{};
    const auto ns = parse_nd(*ns_ip, ByteSpan(e.host.frames[0]).subspan(54), error);
    REQUIRE(ns);
    CHECK(ns->target == router);
    CHECK(e->pending_packets() == 1);
    const Bytes na = build_neighbor_advertisement(router, ns_ip->source, router, true, true, router_mac);
    e->handle_frame(frame(kOurMac, router_mac, kEtherTypeIpv6, ipv6_packet(router, ns_ip->source, 58, na)),
                    e.t0);
    REQUIRE(e.host.frames.size() == 2);
    CHECK(e.host.frames[1] == frame(router_mac, kOurMac, kEtherTypeIpv6, packet));
    // IPv6 unicast to our global address is delivered; to others dropped.
    const Bytes in = ipv6_packet(ip6("2001:db8:99::1"), global, 59, {}, 64);
    e->handle_frame(frame(kOurMac, router_mac, kEtherTypeIpv6, in), e.t0);
    CHECK(e.host.packets.size() == 1);
    e->handle_frame(
        frame(kOurMac, router_mac, kEtherTypeIpv6, ipv6_packet(router, ip6("2001:db8:1::9"), 59, {}, 64)),
        e.t0);
    CHECK(e->counters().drops(DropReason::ipv6_not_for_us) == 1);
    // Prefix expiry (valid 86400 s) removes the address.
    e->handle_timeout(e.t0 + 86400s);
    CHECK(e->config().ipv6_address.is_zero());
}

TEST_CASE("End to end: DORA with the fake SecureNAT, then an ICMP echo leaves as a correct frame",
          "[ether][endpoint][e2e]") {
    Endpoint e(true, true);
    FakeSecureNat nat;
    std::size_t cursor = 0;
    dora(e, nat, cursor);
    CHECK(e->config().address == ip4("192.168.30.10"));
    // The host now sends a ping to the internet; it goes to SecureNAT's MAC after ARP.
    const Bytes ping = icmp_echo(ip4("192.168.30.10"), ip4("8.8.8.8"), 7);
    e->send_packet(ping, e.t0 + 1s);
    pump(*e.endpoint, e.host, nat, e.t0 + 1s, cursor);
    REQUIRE_FALSE(nat.other_frames.empty());
    const Bytes& out = nat.other_frames.back();
    CHECK(out == frame(nat.mac, kOurMac, kEtherTypeIpv4, ping));
    Ipv4ParseError error{};
    const auto ip = parse_ipv4(ByteSpan(out).subspan(14), error);
    REQUIRE(ip);
    CHECK(ip->destination == ip4("8.8.8.8"));
    CHECK(e->pending_packets() == 0);
    // And the echo reply comes back to the TUN.
    Bytes reply_packet = icmp_echo(ip4("8.8.8.8"), ip4("192.168.30.10"), 7);
    e->handle_frame(frame(kOurMac, nat.mac, kEtherTypeIpv4, reply_packet), e.t0 + 1s);
    REQUIRE(e.host.packets.size() == 1);
    CHECK(e.host.packets[0] == reply_packet);
}
