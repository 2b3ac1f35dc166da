#pragma once
// The virtual Ethernet endpoint: bridges the hub's Ethernet frames (softether-protocol.md 13) and the
// host's IP packets (TUN). Sans-I/O: frames, packets and `now` go in; frames, packets, configuration
// events and the next deadline come out through EndpointHost. Not thread-safe; one caller at a time.
#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "ether/addresses.hpp"
#include "ether/dhcp.hpp"
#include "ether/network_config.hpp"

namespace vpnse::ether {

// Why a frame (from the hub) or a packet (from the host) was dropped.
enum class DropReason : std::uint8_t {
    frame_too_short,
    bad_source_mac,         // zero, group, or equal to the destination (softether-protocol.md 13)
    own_source_mac,         // our own frame reflected back
    wrong_destination_mac,  // unicast to someone else (hub floods unknown unicast)
    unknown_ethertype,      // including 802.1Q-tagged frames: the hub strips tags
    malformed_arp,
    malformed_ipv4,
    ipv4_not_for_us,
    not_configured,  // IPv4 before an address is bound, or no source address for IPv6
    malformed_dhcp,  // option loops, overlong lengths, truncation (see DhcpParseError)
    dhcp_wrong_xid,
    dhcp_wrong_chaddr,  // replies for other sessions' clients (every OFFER/ACK is broadcast)
    dhcp_unexpected,    // right transaction but wrong message for the current state
    malformed_ipv6,
    malformed_nd,
    ipv6_not_for_us,
    ipv6_disabled,
    packet_too_large,    // outgoing packet longer than the frame allows
    malformed_outgoing,  // outgoing packet that is not IPv4/IPv6
    no_route,            // no gateway/router for an off-link destination
    pending_overflow,    // the oldest queued packet, evicted by a newer one
    resolution_failed,   // ARP/NS got no answer
    count_
};
const char* to_string(DropReason reason);

struct EndpointCounters {
    std::uint64_t frames_in = 0;
    std::uint64_t frames_out = 0;
    std::uint64_t packets_delivered = 0;  // to the host (TUN)
    std::uint64_t packets_sent = 0;       // from the host, framed and sent
    std::uint64_t arp_replies_sent = 0;   // includes answers to the hub's polls
    std::uint64_t neighbor_advertisements_sent = 0;
    std::uint64_t dhcp_messages_sent = 0;
    std::uint64_t address_conflicts = 0;
    std::array<std::uint64_t, static_cast<std::size_t>(DropReason::count_)> dropped{};
    DhcpParseError last_dhcp_error = DhcpParseError::truncated;  // meaningful when malformed_dhcp > 0

    std::uint64_t drops(DropReason reason) const { return dropped[static_cast<std::size_t>(reason)]; }
    std::uint64_t total_dropped() const;
};

struct EndpointOptions {
    MacAddress mac;  // stable per profile; see generate_mac()
    bool use_dhcp = true;
    // Used when use_dhcp is false: address, prefix_length, gateway, dns, domain, routes, mtu.
    std::optional<NetworkConfig> static_config;
    bool dhcp_inform = false;  // with a static address, ask the DHCP server for DNS/domain (INFORM)
    // Option 12. Omitted if it starts with "securenat-"/"securenat_" (SecureNAT ignores such
    // requests, softether-protocol-advanced.md 4.3).
    std::string hostname;
    bool enable_ipv6 = true;
    std::size_t max_pending_packets = 64;
    std::size_t max_neighbors = 64;
    std::uint16_t default_mtu = 1500;  // SecureNAT never sends option 26 (advanced doc 4.1)
    // RFC 3442: with option 121/249 present, option 3 does not give the default route.
    bool classless_routes_override_router = true;
    Duration dhcp_initial_timeout{4000};  // RFC 2131 4.1: 4 s doubling to 64 s, +-1 s jitter
    Duration dhcp_max_timeout{64000};
    Duration dhcp_jitter{1000};
    int dhcp_request_attempts = 4;      // REQUESTs before going back to DISCOVER
    Duration dhcp_decline_wait{10000};  // RFC 2131 3.1.5
    Duration neighbor_reachable_time{60000};
    Duration neighbor_retransmit{1000};
    int neighbor_probes = 3;
    Duration router_solicitation_interval{4000};  // RFC 4861 10
    int router_solicitations = 3;
};

class EndpointHost {  // implemented by the session/client layer
  public:
    virtual ~EndpointHost() = default;
    virtual void send_frame(ByteSpan ethernet_frame) = 0;  // to the hub
    virtual void deliver_packet(ByteSpan ip_packet) = 0;   // to the TUN (IPv4 or IPv6 packet)
    virtual void on_config_changed(const NetworkConfig& config) = 0;
    virtual void on_lease_lost() {}  // lease expired, NAK, or address conflict
};

enum class DhcpState : std::uint8_t {
    idle,  // static configuration, or not started
    selecting,
    requesting,
    bound,
    renewing,
    rebinding,
    informing,
    declined,  // waiting before a fresh DISCOVER
    released,
};

class VirtualEthernet {
  public:
    // `host` and `rng` must outlive the endpoint.
    VirtualEthernet(EndpointOptions options, EndpointHost& host, RandomSource& rng);

    // Begins DHCP (or applies the static configuration) and IPv6 link-local + router solicitation.
    void start(TimePoint now);
    // A frame from the hub. IPv4/IPv6 unicast to us is handed to deliver_packet as a view of `frame`.
    void handle_frame(ByteSpan frame, TimePoint now);
    // An IP packet from the TUN. Sent at once when the next hop is known, else queued (bounded,
    // drop-oldest) while ARP/ND resolves it.
    void send_packet(ByteSpan ip_packet, TimePoint now);
    void handle_timeout(TimePoint now);
    std::optional<TimePoint> next_deadline() const;

    const NetworkConfig& config() const { return config_; }
    bool configured() const { return config_.has_ipv4(); }
    DhcpState dhcp_state() const { return dhcp_state_; }
    // Sends DHCPRELEASE (SecureNAT ignores it, advanced doc 4.3) and drops the IPv4 configuration.
    void release(TimePoint now);
    const EndpointCounters& counters() const { return counters_; }
    std::size_t pending_packets() const { return pending_.size(); }

  private:
    struct Neighbor {
        Ipv6Address key;  // IPv6 address, or IPv4 as ::ffff:a.b.c.d
        MacAddress mac;
        bool resolved = false;
        TimePoint expires{};
        std::optional<TimePoint> next_probe;  // set while a request is outstanding
        int probes = 0;
    };
    struct Pending {
        Ipv6Address next_hop;
        Bytes packet;
    };

    // Input.
    void handle_arp(ByteSpan payload, const MacAddress& frame_source, TimePoint now);
    void handle_ipv4(ByteSpan payload, const MacAddress& frame_destination, TimePoint now);
    void handle_dhcp(ByteSpan payload, TimePoint now);
    void handle_ipv6(ByteSpan payload, const MacAddress& frame_source, TimePoint now);

    // Output.
    void emit(const MacAddress& destination, std::uint16_t ether_type, ByteSpan payload);
    void send_ipv4(ByteSpan packet, TimePoint now);
    void send_ipv6(ByteSpan packet, TimePoint now);
    void send_to_neighbor(const Ipv6Address& key, bool ipv6, std::uint16_t ether_type, ByteSpan packet,
                          TimePoint now);
    void send_arp(std::uint16_t operation, const MacAddress& destination, Ipv4Address sender_ip,
                  const MacAddress& target_mac, Ipv4Address target_ip);
    void send_gratuitous_arp();
    void send_icmpv6(const MacAddress& destination, const Ipv6Address& source, const Ipv6Address& target_ip,
                     ByteSpan icmp);
    void send_neighbor_probe(const Neighbor& entry);
    void send_router_solicitation();

    // Neighbour cache (ARP and ND share it).
    Neighbor* find_neighbor(const Ipv6Address& key);
    Neighbor& add_neighbor(const Ipv6Address& key, TimePoint now);
    void learn_neighbor(const Ipv6Address& key, const MacAddress& mac, bool create, TimePoint now);
    void flush_pending(const Ipv6Address& key, const MacAddress& mac);
    std::optional<Ipv4Address> next_hop_v4(Ipv4Address destination) const;
    bool is_our_ipv6(const Ipv6Address& address) const;

    // DHCP client (RFC 2131 with advanced doc 4).
    void dhcp_begin(TimePoint now);
    void dhcp_send(DhcpMessageType type, TimePoint now);
    void dhcp_schedule_retransmit(TimePoint now);
    void dhcp_on_timer(TimePoint now);
    void dhcp_apply_lease(const DhcpMessage& message, const DhcpLeaseInfo& info, TimePoint now);
    void dhcp_lose_lease(bool notify_host);
    void on_address_conflict(TimePoint now);
    void apply_static(TimePoint now);

    void set_config(const NetworkConfig& updated);
    void expire_ipv6(TimePoint now);

    EndpointOptions options_;
    EndpointHost& host_;
    RandomSource& rng_;
    NetworkConfig config_;
    EndpointCounters counters_;
    Bytes tx_buffer_;  // reused for every outgoing frame: no allocation on the data path

    std::vector<Neighbor> neighbors_;
    std::deque<Pending> pending_;

    DhcpState dhcp_state_ = DhcpState::idle;
    std::uint32_t xid_ = 0;
    int dhcp_attempts_ = 0;
    int consecutive_naks_ = 0;
    TimePoint dhcp_started_{};
    std::optional<TimePoint> dhcp_timer_;
    Ipv4Address offered_address_;
    Ipv4Address offer_server_;
    TimePoint t1_at_{}, t2_at_{}, expire_at_{};
    bool lease_infinite_ = false;

    bool started_ = false;
    int router_solicitations_sent_ = 0;
    std::optional<TimePoint> rs_timer_;
    std::optional<TimePoint> slaac_valid_until_;
    std::optional<TimePoint> router_valid_until_;
};

}  // namespace vpnse::ether
