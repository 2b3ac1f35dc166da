#include "ether/virtual_ethernet.hpp"

#include <algorithm>
#include <cstring>

#include "ether/arp.hpp"
#include "ether/ethernet.hpp"
#include "ether/ipv6_nd.hpp"

namespace vpnse::ether {

namespace {

Ipv6Address map_v4(Ipv4Address address) {
    Ipv6Address key;
    key.bytes[10] = 0xff;
    key.bytes[11] = 0xff;
    store_be32(&key.bytes[12], address.value);
    return key;
}

Ipv6Address all_nodes() {
    return *Ipv6Address::parse("ff02::1");
}
Ipv6Address all_routers() {
    return *Ipv6Address::parse("ff02::2");
}

// Classful fallback when an ACK carries no usable subnet mask.
std::uint8_t natural_prefix(Ipv4Address address) {
    const std::uint32_t top = address.value >> 24;
    return top < 128 ? 8 : top < 192 ? 16 : 24;
}

bool hostname_allowed(const std::string& name) {
    // SecureNAT ignores requests whose host name starts with securenat- / securenat_ (advanced doc 4.3).
    if (name.empty() || name.size() > 255)
        return false;
    std::string lower = name.substr(0, 10);
    for (auto& c : lower)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return lower != "securenat-" && lower != "securenat_";
}

std::chrono::seconds seconds_of(std::uint32_t value) {
    return std::chrono::seconds{value};
}

}  // namespace

const char* to_string(DropReason reason) {
    switch (reason) {
        case DropReason::frame_too_short:
            return "frame_too_short";
        case DropReason::bad_source_mac:
            return "bad_source_mac";
        case DropReason::own_source_mac:
            return "own_source_mac";
        case DropReason::wrong_destination_mac:
            return "wrong_destination_mac";
        case DropReason::unknown_ethertype:
            return "unknown_ethertype";
        case DropReason::malformed_arp:
            return "malformed_arp";
        case DropReason::malformed_ipv4:
            return "malformed_ipv4";
        case DropReason::ipv4_not_for_us:
            return "ipv4_not_for_us";
        case DropReason::not_configured:
            return "not_configured";
        case DropReason::malformed_dhcp:
            return "malformed_dhcp";
        case DropReason::dhcp_wrong_xid:
            return "dhcp_wrong_xid";
        case DropReason::dhcp_wrong_chaddr:
            return "dhcp_wrong_chaddr";
        case DropReason::dhcp_unexpected:
            return "dhcp_unexpected";
        case DropReason::malformed_ipv6:
            return "malformed_ipv6";
        case DropReason::malformed_nd:
            return "malformed_nd";
        case DropReason::ipv6_not_for_us:
            return "ipv6_not_for_us";
        case DropReason::ipv6_disabled:
            return "ipv6_disabled";
        case DropReason::packet_too_large:
            return "packet_too_large";
        case DropReason::malformed_outgoing:
            return "malformed_outgoing";
        case DropReason::no_route:
            return "no_route";
        case DropReason::pending_overflow:
            return "pending_overflow";
        case DropReason::resolution_failed:
            return "resolution_failed";
        case DropReason::count_:
            break;
    }
    return "unknown";
}

std::uint64_t EndpointCounters::total_dropped() const {
    std::uint64_t total = 0;
    for (auto n : dropped)
        total += n;
    return total;
}

VirtualEthernet::VirtualEthernet(EndpointOptions options, EndpointHost& host, RandomSource& rng)
    : options_(std::move(options)), host_(host), rng_(rng) {
    tx_buffer_.reserve(kMaxFrameSize + 64);
    neighbors_.reserve(options_.max_neighbors);
}

// ---------------------------------------------------------------------------------------------
// Lifecycle and timers

void VirtualEthernet::start(TimePoint now) {
    if (started_)
        return;
    started_ = true;
    if (options_.enable_ipv6) {
        NetworkConfig updated = config_;
        updated.ipv6_link_local = link_local_from_mac(options_.mac);
        set_config(updated);
        // Optimistic DAD (RFC 4429): one NS from :: for our link-local, used at once.
        const Ipv6Address unspecified;
        const Ipv6Address group = solicited_node(config_.ipv6_link_local);
        Bytes ns = build_neighbor_solicitation(unspecified, group, config_.ipv6_link_local, std::nullopt);
        send_icmpv6(multicast_mac(group), unspecified, group, ns);
        send_router_solicitation();
        rs_timer_ = now + options_.router_solicitation_interval;
    }
    if (options_.use_dhcp)
        dhcp_begin(now);
    else
        apply_static(now);
}

std::optional<TimePoint> VirtualEthernet::next_deadline() const {
    std::optional<TimePoint> earliest;
    auto consider = [&earliest](const std::optional<TimePoint>& t) {
        if (t && (!earliest || *t < *earliest))
            earliest = t;
    };
    consider(dhcp_timer_);
    consider(rs_timer_);
    consider(slaac_valid_until_);
    consider(router_valid_until_);
    for (const auto& entry : neighbors_)
        consider(entry.next_probe);
    return earliest;
}

void VirtualEthernet::handle_timeout(TimePoint now) {
    if (dhcp_timer_ && *dhcp_timer_ <= now)
        dhcp_on_timer(now);
    if (rs_timer_ && *rs_timer_ <= now) {
        if (router_solicitations_sent_ < options_.router_solicitations && config_.ipv6_router.is_zero()) {
            send_router_solicitation();
            rs_timer_ = now + options_.router_solicitation_interval;
        } else {
            rs_timer_.reset();  // no RA: IPv6 stays link-local (advanced doc 5)
        }
    }
    expire_ipv6(now);
    // Neighbour probes: retransmit, or give up and drop what waits for that neighbour.
    for (std::size_t i = 0; i < neighbors_.size();) {
        Neighbor& entry = neighbors_[i];
        if (!entry.next_probe || *entry.next_probe > now) {
            ++i;
            continue;
        }
        if (entry.probes < options_.neighbor_probes) {
            ++entry.probes;
            entry.next_probe = now + options_.neighbor_retransmit;
            send_neighbor_probe(entry);
            ++i;
            continue;
        }
        const Ipv6Address key = entry.key;
        neighbors_.erase(neighbors_.begin() + static_cast<std::ptrdiff_t>(i));
        const auto before = pending_.size();
        std::erase_if(pending_, [&key](const Pending& p) { return p.next_hop == key; });
        counters_.dropped[static_cast<std::size_t>(DropReason::resolution_failed)] +=
            before - pending_.size();
    }
}

void VirtualEthernet::set_config(const NetworkConfig& updated) {
    if (updated == config_)
        return;
    const bool address_changed = updated.address != config_.address;
    if (address_changed) {
        // Old IPv4 neighbours may belong to another subnet now.
        std::erase_if(neighbors_,
                      [](const Neighbor& n) { return n.key.bytes[10] == 0xff && n.key.bytes[0] == 0; });
    }
    config_ = updated;
    if (address_changed && config_.has_ipv4())
        send_gratuitous_arp();
    host_.on_config_changed(config_);
}

// ---------------------------------------------------------------------------------------------
// Frames in

void VirtualEthernet::handle_frame(ByteSpan frame, TimePoint now) {
    ++counters_.frames_in;
    auto drop = [this](DropReason reason) { ++counters_.dropped[static_cast<std::size_t>(reason)]; };
    const auto header = parse_ethernet(frame);
    if (!header)
        return drop(DropReason::frame_too_short);
    if (header->source == options_.mac)
        return drop(DropReason::own_source_mac);
    if (header->source.is_zero() || header->source.is_multicast() || header->source == header->destination)
        return drop(DropReason::bad_source_mac);
    if (header->destination != options_.mac && !header->destination.is_multicast())
        return drop(DropReason::wrong_destination_mac);
    const ByteSpan payload = frame.subspan(kEthernetHeaderSize);
    switch (header->ether_type) {
        case kEtherTypeIpv4:
            return handle_ipv4(payload, header->destination, now);
        case kEtherTypeArp:
            return handle_arp(payload, header->source, now);
        case kEtherTypeIpv6:
            return handle_ipv6(payload, header->source, now);
        default:
            return drop(DropReason::unknown_ethertype);
    }
}

void VirtualEthernet::handle_arp(ByteSpan payload, const MacAddress& frame_source, TimePoint now) {
    const auto arp = parse_arp(payload);
    if (!arp || arp->sender_mac.is_multicast()) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::malformed_arp)];
        return;
    }
    (void)frame_source;
    const bool have_address = config_.has_ipv4();
    // Someone else claims our address: a conflict, unless it is the hub (its polls come from
    // 172.31.x.y with 00:ae MACs, softether-protocol.md 13) or a probe (sender IP 0).
    if (have_address && arp->sender_ip == config_.address && arp->sender_mac != options_.mac &&
        !arp->sender_mac.is_hub_mac()) {
        on_address_conflict(now);
        return;
    }
    const bool for_us = have_address && arp->target_ip == config_.address;
    // RFC 826 merge: refresh a known sender. Learn a new one when the packet is aimed at us, or when
    // it is our gateway/server (SecureNAT's 5 s gratuitous reply primes it, advanced doc 4.4).
    // Never learn the hub's pollers: 172.31.x.y is not a real host.
    if (!arp->is_probe() && !arp->sender_mac.is_hub_mac()) {
        const bool wanted =
            for_us ||
            (have_address && (arp->sender_ip == config_.gateway || arp->sender_ip == config_.dhcp_server));
        learn_neighbor(map_v4(arp->sender_ip), arp->sender_mac, wanted, now);
    }
    if (for_us && arp->operation == kArpRequest) {
        send_arp(kArpReply, arp->sender_mac, config_.address, arp->sender_mac, arp->sender_ip);
        ++counters_.arp_replies_sent;
    }
}

void VirtualEthernet::handle_ipv4(ByteSpan payload, const MacAddress& frame_destination, TimePoint now) {
    Ipv4ParseError error{};
    const auto ip = parse_ipv4(payload, error);
    if (!ip) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::malformed_ipv4)];
        return;
    }
    const ByteSpan packet = payload.first(ip->total_length);
    // DHCP replies reach us before we have an address, broadcast or to the offered IP.
    if (ip->protocol == kIpProtoUdp && !ip->is_fragment() &&
        (options_.use_dhcp || dhcp_state_ == DhcpState::informing) &&
        packet.size() >= ip->header_length + 8u &&
        load_be16(packet.data() + ip->header_length + 2) == kDhcpClientPort &&
        load_be16(packet.data() + ip->header_length) == kDhcpServerPort) {
        const ByteSpan udp = packet.subspan(ip->header_length);
        const std::uint16_t udp_length = load_be16(udp.data() + 4);
        if (udp_length < 8 || udp_length > udp.size()) {
            ++counters_.dropped[static_cast<std::size_t>(DropReason::malformed_ipv4)];
            return;
        }
        return handle_dhcp(udp.subspan(8, udp_length - 8u), now);
    }
    if (!configured()) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::not_configured)];
        return;
    }
    const Ipv4Address destination = ip->destination;
    const std::uint32_t mask = prefix_mask(config_.prefix_length);
    const bool subnet_broadcast = config_.prefix_length < 31 &&
                                  (destination.value & mask) == (config_.address.value & mask) &&
                                  (destination.value | mask) == 0xffffffffu;
    const bool accept =
        destination == config_.address ||
        ((destination.is_limited_broadcast() || subnet_broadcast || destination.is_multicast()) &&
         frame_destination.is_multicast());
    if (!accept) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::ipv4_not_for_us)];
        return;
    }
    ++counters_.packets_delivered;
    host_.deliver_packet(packet);
}

void VirtualEthernet::handle_ipv6(ByteSpan payload, const MacAddress& frame_source, TimePoint now) {
    if (!options_.enable_ipv6) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::ipv6_disabled)];
        return;
    }
    const auto ip = parse_ipv6(payload);
    if (!ip) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::malformed_ipv6)];
        return;
    }
    const ByteSpan packet = payload.first(kIpv6HeaderSize + ip->payload_length);
    const Ipv6Address& destination = ip->destination;
    if (!destination.is_multicast() && !is_our_ipv6(destination)) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::ipv6_not_for_us)];
        return;
    }
    const ByteSpan icmp = packet.subspan(kIpv6HeaderSize);
    if (ip->next_header != kIpProtoIcmpv6 || icmp.empty() || icmp[0] < 133 || icmp[0] > 137) {
        ++counters_.packets_delivered;
        return host_.deliver_packet(packet);
    }
    // Neighbour Discovery is ours: a TUN device does no NDP of its own.
    NdParseError error{};
    const auto nd = parse_nd(*ip, icmp, error);
    if (!nd) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::malformed_nd)];
        return;
    }
    switch (nd->type) {
        case NdType::neighbor_solicitation: {
            if (!is_our_ipv6(nd->target))
                return;
            if (ip->source.is_zero()) {
                // Someone runs DAD on our address (RFC 4862 5.4.3): defend it to all nodes.
                ++counters_.address_conflicts;
                Bytes na = build_neighbor_advertisement(nd->target, all_nodes(), nd->target, false, true,
                                                        options_.mac);
                send_icmpv6(multicast_mac(all_nodes()), nd->target, all_nodes(), na);
                ++counters_.neighbor_advertisements_sent;
                return;
            }
            // Includes the hub's polls from fe80::2ae:… (softether-protocol.md 13).
            const MacAddress reply_mac = nd->source_link_address.value_or(frame_source);
            if (nd->source_link_address)
                learn_neighbor(ip->source, *nd->source_link_address, !nd->source_link_address->is_hub_mac(),
                               now);
            Bytes na =
                build_neighbor_advertisement(nd->target, ip->source, nd->target, true, true, options_.mac);
            send_icmpv6(reply_mac, nd->target, ip->source, na);
            ++counters_.neighbor_advertisements_sent;
            return;
        }
        case NdType::neighbor_advertisement: {
            const MacAddress mac = nd->target_link_address.value_or(frame_source);
            if (is_our_ipv6(nd->target)) {
                if (mac != options_.mac)
                    ++counters_.address_conflicts;
                return;
            }
            learn_neighbor(nd->target, mac, false, now);
            return;
        }
        case NdType::router_advertisement: {
            if (!ip->source.is_link_local()) {
                ++counters_.dropped[static_cast<std::size_t>(DropReason::malformed_nd)];
                return;
            }
            NetworkConfig updated = config_;
            if (nd->source_link_address)
                learn_neighbor(ip->source, *nd->source_link_address, true, now);
            if (nd->router_lifetime > 0) {
                updated.ipv6_router = ip->source;
                router_valid_until_ = now + std::chrono::seconds{nd->router_lifetime};
                rs_timer_.reset();
            } else if (updated.ipv6_router == ip->source) {
                updated.ipv6_router = {};
                router_valid_until_.reset();
            }
            for (const auto& prefix : nd->prefixes) {
                if (prefix.prefix.is_link_local() || prefix.prefix.is_multicast())
                    continue;
                // SLAAC needs a /64 with the A flag (RFC 4862 5.5.3).
                if (prefix.autonomous && prefix.prefix_length == 64 &&
                    prefix.preferred_lifetime <= prefix.valid_lifetime) {
                    if (prefix.valid_lifetime == 0) {
                        if (same_prefix(updated.ipv6_address, prefix.prefix, 64)) {
                            updated.ipv6_address = {};
                            updated.ipv6_prefix = {};
                            updated.ipv6_prefix_length = 0;
                            slaac_valid_until_.reset();
                        }
                        continue;
                    }
                    updated.ipv6_address = slaac_address(prefix.prefix, options_.mac);
                    updated.ipv6_prefix = prefix.prefix;
                    updated.ipv6_prefix_length = 64;
                    if (prefix.valid_lifetime == 0xffffffffu)
                        slaac_valid_until_.reset();
                    else
                        slaac_valid_until_ = now + std::chrono::seconds{prefix.valid_lifetime};
                }
            }
            if (nd->mtu && *nd->mtu >= 1280 && *nd->mtu <= 65535)
                updated.ipv6_mtu = *nd->mtu;
            if (!nd->dns_servers.empty())
                updated.ipv6_dns = nd->dns_lifetime == 0 ? std::vector<Ipv6Address>{} : nd->dns_servers;
            set_config(updated);
            return;
        }
        case NdType::router_solicitation:
        case NdType::redirect:
            return;  // we are no router; redirects are not followed
    }
}

void VirtualEthernet::expire_ipv6(TimePoint now) {
    NetworkConfig updated = config_;
    if (slaac_valid_until_ && *slaac_valid_until_ <= now) {
        updated.ipv6_address = {};
        updated.ipv6_prefix = {};
        updated.ipv6_prefix_length = 0;
        slaac_valid_until_.reset();
    }
    if (router_valid_until_ && *router_valid_until_ <= now) {
        updated.ipv6_router = {};
        router_valid_until_.reset();
    }
    set_config(updated);
}

bool VirtualEthernet::is_our_ipv6(const Ipv6Address& address) const {
    return !address.is_zero() && (address == config_.ipv6_link_local || address == config_.ipv6_address);
}

// ---------------------------------------------------------------------------------------------
// Packets out

void VirtualEthernet::emit(const MacAddress& destination, std::uint16_t ether_type, ByteSpan payload) {
    tx_buffer_.resize(kEthernetHeaderSize + payload.size());  // within reserved capacity: no allocation
    write_ethernet(tx_buffer_.data(), destination, options_.mac, ether_type);
    if (!payload.empty())
        std::memcpy(tx_buffer_.data() + kEthernetHeaderSize, payload.data(), payload.size());
    ++counters_.frames_out;
    host_.send_frame(tx_buffer_);
}

void VirtualEthernet::send_packet(ByteSpan ip_packet, TimePoint now) {
    if (ip_packet.size() + kEthernetHeaderSize > kMaxFrameSize) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::packet_too_large)];
        return;
    }
    if (ip_packet.empty()) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::malformed_outgoing)];
        return;
    }
    switch (ip_packet[0] >> 4) {
        case 4:
            return send_ipv4(ip_packet, now);
        case 6:
            return send_ipv6(ip_packet, now);
        default:
            ++counters_.dropped[static_cast<std::size_t>(DropReason::malformed_outgoing)];
    }
}

std::optional<Ipv4Address> VirtualEthernet::next_hop_v4(Ipv4Address destination) const {
    // Longest prefix among the pushed routes and the connected subnet; then the default gateway.
    int best_length = -1;
    Ipv4Address best;
    const std::uint32_t mask = prefix_mask(config_.prefix_length);
    if ((destination.value & mask) == (config_.address.value & mask)) {
        best_length = config_.prefix_length;
        best = destination;
    }
    for (const auto& route : config_.routes) {
        const std::uint32_t route_mask = prefix_mask(route.prefix_length);
        if ((destination.value & route_mask) == route.destination.value &&
            route.prefix_length > best_length) {
            best_length = route.prefix_length;
            best = route.gateway.is_zero() ? destination : route.gateway;
        }
    }
    if (best_length >= 0)
        return best;
    if (!config_.gateway.is_zero())
        return config_.gateway;
    // The host sent us the packet, so it routes it here: with classless routes hiding option 3,
    // the router is still the best guess.
    if (!config_.router.is_zero())
        return config_.router;
    return std::nullopt;
}

void VirtualEthernet::send_ipv4(ByteSpan packet, TimePoint now) {
    if (packet.size() < 20) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::malformed_outgoing)];
        return;
    }
    if (!configured()) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::not_configured)];
        return;
    }
    const Ipv4Address destination{load_be32(packet.data() + 16)};
    const std::uint32_t mask = prefix_mask(config_.prefix_length);
    const bool subnet_broadcast = config_.prefix_length < 31 &&
                                  (destination.value & mask) == (config_.address.value & mask) &&
                                  (destination.value | mask) == 0xffffffffu;
    if (destination.is_limited_broadcast() || subnet_broadcast) {
        ++counters_.packets_sent;
        return emit(MacAddress::broadcast(), kEtherTypeIpv4, packet);
    }
    if (destination.is_multicast()) {
        ++counters_.packets_sent;
        return emit(multicast_mac(destination), kEtherTypeIpv4, packet);
    }
    const auto hop = next_hop_v4(destination);
    if (!hop) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::no_route)];
        return;
    }
    send_to_neighbor(map_v4(*hop), false, kEtherTypeIpv4, packet, now);
}

void VirtualEthernet::send_ipv6(ByteSpan packet, TimePoint now) {
    if (!options_.enable_ipv6) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::ipv6_disabled)];
        return;
    }
    if (packet.size() < kIpv6HeaderSize) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::malformed_outgoing)];
        return;
    }
    Ipv6Address destination;
    std::memcpy(destination.bytes.data(), packet.data() + 24, 16);
    if (destination.is_multicast()) {
        ++counters_.packets_sent;
        return emit(multicast_mac(destination), kEtherTypeIpv6, packet);
    }
    Ipv6Address hop;
    if (destination.is_link_local() ||
        (config_.ipv6_prefix_length > 0 &&
         same_prefix(destination, config_.ipv6_prefix, config_.ipv6_prefix_length)))
        hop = destination;
    else if (!config_.ipv6_router.is_zero())
        hop = config_.ipv6_router;
    else {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::no_route)];
        return;
    }
    send_to_neighbor(hop, true, kEtherTypeIpv6, packet, now);
}

void VirtualEthernet::send_to_neighbor(const Ipv6Address& key, bool ipv6, std::uint16_t ether_type,
                                       ByteSpan packet, TimePoint now) {
    Neighbor* entry = find_neighbor(key);
    if (entry && entry->resolved) {
        if (entry->expires <= now && !entry->next_probe) {
            // Stale: keep using the old MAC while re-resolving (RFC 4861 7.3.3 spirit).
            entry->probes = 1;
            entry->next_probe = now + options_.neighbor_retransmit;
            send_neighbor_probe(*entry);
        }
        ++counters_.packets_sent;
        return emit(entry->mac, ether_type, packet);
    }
    if (!entry) {
        entry = &add_neighbor(key, now);
        entry->probes = 1;
        entry->next_probe = now + options_.neighbor_retransmit;
        send_neighbor_probe(*entry);
    }
    (void)ipv6;
    if (options_.max_pending_packets == 0) {
        ++counters_.dropped[static_cast<std::size_t>(DropReason::pending_overflow)];
        return;
    }
    while (pending_.size() >= options_.max_pending_packets) {
        pending_.pop_front();
        ++counters_.dropped[static_cast<std::size_t>(DropReason::pending_overflow)];
    }
    pending_.push_back({key, Bytes(packet.begin(), packet.end())});
}

void VirtualEthernet::send_neighbor_probe(const Neighbor& entry) {
    const bool is_v4 = entry.key.bytes[10] == 0xff && entry.key.bytes[11] == 0xff && entry.key.bytes[0] == 0;
    const MacAddress destination = entry.resolved ? entry.mac : MacAddress::broadcast();
    if (is_v4) {
        if (!configured())
            return;
        send_arp(kArpRequest, destination, config_.address, MacAddress{},
                 Ipv4Address{load_be32(&entry.key.bytes[12])});
        return;
    }
    const Ipv6Address source = entry.key.is_link_local() || config_.ipv6_address.is_zero()
                                   ? config_.ipv6_link_local
                                   : config_.ipv6_address;
    const Ipv6Address group = entry.resolved ? entry.key : solicited_node(entry.key);
    Bytes ns = build_neighbor_solicitation(source, group, entry.key, options_.mac);
    send_icmpv6(entry.resolved ? entry.mac : multicast_mac(group), source, group, ns);
}

void VirtualEthernet::send_arp(std::uint16_t operation, const MacAddress& destination, Ipv4Address sender_ip,
                               const MacAddress& target_mac, Ipv4Address target_ip) {
    std::uint8_t body[kArpPacketSize];
    write_arp(body, {operation, options_.mac, sender_ip, target_mac, target_ip});
    emit(destination, kEtherTypeArp, body);
}

void VirtualEthernet::send_gratuitous_arp() {
    // ARP announcement (RFC 5227 2.3): request with sender IP == target IP.
    send_arp(kArpRequest, MacAddress::broadcast(), config_.address, MacAddress{}, config_.address);
}

void VirtualEthernet::send_icmpv6(const MacAddress& destination, const Ipv6Address& source,
                                  const Ipv6Address& target_ip, ByteSpan icmp) {
    Bytes packet;
    packet.reserve(kIpv6HeaderSize + icmp.size());
    append_ipv6(packet, source, target_ip, kIpProtoIcmpv6, icmp);
    emit(destination, kEtherTypeIpv6, packet);
}

void VirtualEthernet::send_router_solicitation() {
    ++router_solicitations_sent_;
    const Ipv6Address group = all_routers();
    Bytes rs = build_router_solicitation(config_.ipv6_link_local, group, options_.mac);
    send_icmpv6(multicast_mac(group), config_.ipv6_link_local, group, rs);
}

// ---------------------------------------------------------------------------------------------
// Neighbour cache

VirtualEthernet::Neighbor* VirtualEthernet::find_neighbor(const Ipv6Address& key) {
    for (auto& entry : neighbors_)
        if (entry.key == key)
            return &entry;
    return nullptr;
}

VirtualEthernet::Neighbor& VirtualEthernet::add_neighbor(const Ipv6Address& key, TimePoint now) {
    if (neighbors_.size() >= std::max<std::size_t>(options_.max_neighbors, 1)) {
        // Evict the entry that expires first, preferring ones nothing waits for.
        auto victim =
            std::min_element(neighbors_.begin(), neighbors_.end(),
                             [](const Neighbor& a, const Neighbor& b) { return a.expires < b.expires; });
        const Ipv6Address old = victim->key;
        neighbors_.erase(victim);
        const auto before = pending_.size();
        std::erase_if(pending_, [&old](const Pending& p) { return p.next_hop == old; });
        counters_.dropped[static_cast<std::size_t>(DropReason::resolution_failed)] +=
            before - pending_.size();
    }
    Neighbor entry;
    entry.key = key;
    entry.expires = now;
    neighbors_.push_back(entry);
    return neighbors_.back();
}

void VirtualEthernet::learn_neighbor(const Ipv6Address& key, const MacAddress& mac, bool create,
                                     TimePoint now) {
    if (mac.is_zero() || mac.is_multicast())
        return;
    Neighbor* entry = find_neighbor(key);
    if (!entry) {
        if (!create)
            return;
        entry = &add_neighbor(key, now);
    }
    entry->mac = mac;
    entry->resolved = true;
    entry->expires = now + options_.neighbor_reachable_time;
    entry->next_probe.reset();
    entry->probes = 0;
    flush_pending(key, mac);
}

void VirtualEthernet::flush_pending(const Ipv6Address& key, const MacAddress& mac) {
    if (pending_.empty())
        return;
    // Move the packets out first: the host may call send_packet from send_frame.
    std::vector<Bytes> ready;
    for (auto it = pending_.begin(); it != pending_.end();) {
        if (it->next_hop == key) {
            ready.push_back(std::move(it->packet));
            it = pending_.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& packet : ready) {
        ++counters_.packets_sent;
        emit(mac, (packet[0] >> 4) == 6 ? kEtherTypeIpv6 : kEtherTypeIpv4, packet);
    }
}

// ---------------------------------------------------------------------------------------------
// DHCP client

void VirtualEthernet::dhcp_begin(TimePoint now) {
    dhcp_state_ = DhcpState::selecting;
    xid_ = rng_.next_u32();
    dhcp_attempts_ = 0;
    dhcp_started_ = now;
    offered_address_ = {};
    offer_server_ = {};
    dhcp_send(DhcpMessageType::discover, now);
    dhcp_schedule_retransmit(now);
}

void VirtualEthernet::dhcp_schedule_retransmit(TimePoint now) {
    // RFC 2131 4.1: 4 s, doubling to 64 s, randomised by +-1 s.
    Duration delay = options_.dhcp_initial_timeout;
    for (int i = 1; i < dhcp_attempts_ && delay < options_.dhcp_max_timeout; ++i)
        delay *= 2;
    delay = std::min(delay, options_.dhcp_max_timeout);
    if (options_.dhcp_jitter.count() > 0) {
        const auto span = static_cast<std::uint32_t>(2 * options_.dhcp_jitter.count() + 1);
        delay += Duration{static_cast<std::int64_t>(rng_.uniform(span)) - options_.dhcp_jitter.count()};
    }
    dhcp_timer_ = now + delay;
}

void VirtualEthernet::dhcp_send(DhcpMessageType type, TimePoint now) {
    ++dhcp_attempts_;
    DhcpMessage message;
    message.op = 1;
    message.xid = xid_;
    message.chaddr = options_.mac;
    const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(now - dhcp_started_).count();
    message.secs = static_cast<std::uint16_t>(std::clamp<std::int64_t>(elapsed, 0, 0xffff));
    const std::uint8_t type_byte = static_cast<std::uint8_t>(type);
    message.add(dhcp_option::message_type, {&type_byte, 1});
    std::uint8_t client_id[7] = {1};
    std::memcpy(client_id + 1, options_.mac.bytes.data(), 6);
    message.add(dhcp_option::client_id, client_id);
    auto add_ip = [&message](std::uint8_t code, Ipv4Address address) {
        std::uint8_t raw[4];
        store_be32(raw, address.value);
        message.add(code, raw);
    };
    bool unicast = false;
    switch (type) {
        case DhcpMessageType::request:
            if (dhcp_state_ == DhcpState::requesting) {
                add_ip(dhcp_option::requested_ip, offered_address_);
                add_ip(dhcp_option::server_id, offer_server_);
            } else {  // renewing / rebinding (RFC 2131 4.3.2): ciaddr, no 50/54
                message.ciaddr = config_.address;
                unicast = dhcp_state_ == DhcpState::renewing;
            }
            break;
        case DhcpMessageType::decline:
            add_ip(dhcp_option::requested_ip, offered_address_);
            add_ip(dhcp_option::server_id, offer_server_);
            break;
        case DhcpMessageType::release:
            message.ciaddr = config_.address;
            add_ip(dhcp_option::server_id, config_.dhcp_server);
            unicast = true;
            break;
        case DhcpMessageType::inform:
            message.ciaddr = config_.address;
            break;
        default:
            break;
    }
    if (type == DhcpMessageType::discover || type == DhcpMessageType::request ||
        type == DhcpMessageType::inform) {
        if (hostname_allowed(options_.hostname))
            message.add(dhcp_option::hostname, as_bytes(options_.hostname));
        static const std::uint8_t wanted[] = {
            dhcp_option::subnet_mask, dhcp_option::router,           dhcp_option::dns,
            dhcp_option::domain_name, dhcp_option::interface_mtu,    dhcp_option::lease_time,
            dhcp_option::server_id,   dhcp_option::renewal_time,     dhcp_option::rebinding_time,
            dhcp_option::search_list, dhcp_option::classless_routes, dhcp_option::ms_classless_routes};
        message.add(dhcp_option::parameter_list, wanted);
        const std::uint8_t max_size[2] = {0x05, 0xdc};  // 1500
        message.add(dhcp_option::max_message_size, max_size);
    }
    const Bytes body = serialize_dhcp(message);
    const Ipv4Address source = message.ciaddr;
    const Ipv4Address destination = unicast ? config_.dhcp_server : Ipv4Address::limited_broadcast();
    Bytes packet;
    packet.reserve(28 + body.size());
    append_ipv4_udp(packet, source, destination, kDhcpClientPort, kDhcpServerPort, body);
    ++counters_.dhcp_messages_sent;
    if (!unicast) {
        emit(MacAddress::broadcast(), kEtherTypeIpv4, packet);
        return;
    }
    // Unicast to the server through the neighbour cache (queued while ARP resolves). A RELEASE
    // cannot wait for ARP (the lease and the queue go away now): unknown MAC means broadcast.
    const auto hop = next_hop_v4(destination);
    if (Neighbor* entry = hop ? find_neighbor(map_v4(*hop)) : nullptr; entry && entry->resolved)
        emit(entry->mac, kEtherTypeIpv4, packet);
    else if (hop && type != DhcpMessageType::release)
        send_to_neighbor(map_v4(*hop), false, kEtherTypeIpv4, packet, now);
    else
        emit(MacAddress::broadcast(), kEtherTypeIpv4, packet);
}

void VirtualEthernet::dhcp_on_timer(TimePoint now) {
    dhcp_timer_.reset();
    switch (dhcp_state_) {
        case DhcpState::selecting:
            dhcp_send(DhcpMessageType::discover, now);
            dhcp_schedule_retransmit(now);
            return;
        case DhcpState::requesting:
            if (dhcp_attempts_ >= options_.dhcp_request_attempts)
                return dhcp_begin(now);
            dhcp_send(DhcpMessageType::request, now);
            dhcp_schedule_retransmit(now);
            return;
        case DhcpState::informing:
            if (dhcp_attempts_ >= options_.dhcp_request_attempts) {
                dhcp_state_ = DhcpState::idle;
                return;
            }
            dhcp_send(DhcpMessageType::inform, now);
            dhcp_schedule_retransmit(now);
            return;
        case DhcpState::declined:
            return dhcp_begin(now);
        case DhcpState::bound:
        case DhcpState::renewing:
        case DhcpState::rebinding: {
            if (now >= expire_at_) {
                dhcp_lose_lease(true);
                return dhcp_begin(now);
            }
            if (now >= t2_at_) {
                if (dhcp_state_ != DhcpState::rebinding)
                    xid_ = rng_.next_u32();
                dhcp_state_ = DhcpState::rebinding;
            } else if (now >= t1_at_) {
                if (dhcp_state_ == DhcpState::bound) {
                    xid_ = rng_.next_u32();
                    dhcp_started_ = now;
                }
                dhcp_state_ = DhcpState::renewing;
            } else {
                dhcp_timer_ = t1_at_;
                return;
            }
            dhcp_send(DhcpMessageType::request, now);
            // RFC 2131 4.4.5: wait half the remaining time to T2 (or expiry), at least 60 s.
            const TimePoint limit = dhcp_state_ == DhcpState::renewing ? t2_at_ : expire_at_;
            const auto half = std::chrono::duration_cast<Duration>((limit - now) / 2);
            dhcp_timer_ = std::min(limit, now + std::max<Duration>(half, std::chrono::seconds{60}));
            return;
        }
        case DhcpState::idle:
        case DhcpState::released:
            return;
    }
}

void VirtualEthernet::handle_dhcp(ByteSpan payload, TimePoint now) {
    auto drop = [this](DropReason reason) { ++counters_.dropped[static_cast<std::size_t>(reason)]; };
    DhcpParseError error{};
    const auto message = parse_dhcp(payload, error);
    std::optional<DhcpLeaseInfo> info;
    if (message)
        info = decode_lease_info(*message, error);
    if (!message || !info || message->op != 2) {
        counters_.last_dhcp_error = error;
        return drop(DropReason::malformed_dhcp);
    }
    // Every OFFER/ACK on the hub is broadcast: match xid AND chaddr (advanced doc 4.2), never ciaddr.
    if (message->chaddr != options_.mac)
        return drop(DropReason::dhcp_wrong_chaddr);
    if (message->xid != xid_)
        return drop(DropReason::dhcp_wrong_xid);
    const Ipv4Address server = info->server_id;
    switch (info->type) {
        case DhcpMessageType::offer:
            if (dhcp_state_ != DhcpState::selecting || message->yiaddr.is_zero() || server.is_zero())
                return drop(DropReason::dhcp_unexpected);
            offered_address_ = message->yiaddr;
            offer_server_ = server;
            dhcp_state_ = DhcpState::requesting;
            dhcp_attempts_ = 0;
            dhcp_send(DhcpMessageType::request, now);
            dhcp_schedule_retransmit(now);
            return;
        case DhcpMessageType::ack:
            if (dhcp_state_ == DhcpState::informing) {
                NetworkConfig updated = config_;
                if (updated.dns.empty())
                    updated.dns = info->dns;
                if (updated.domain.empty())
                    updated.domain = info->domain;
                if (updated.search_domains.empty())
                    updated.search_domains = info->search_domains;
                updated.dhcp_server = server;
                dhcp_state_ = DhcpState::idle;
                dhcp_timer_.reset();
                set_config(updated);
                return;
            }
            if (dhcp_state_ != DhcpState::requesting && dhcp_state_ != DhcpState::renewing &&
                dhcp_state_ != DhcpState::rebinding)
                return drop(DropReason::dhcp_unexpected);
            if (message->yiaddr.is_zero() || message->yiaddr.is_multicast() ||
                message->yiaddr.is_limited_broadcast())
                return drop(DropReason::dhcp_unexpected);
            return dhcp_apply_lease(*message, *info, now);
        case DhcpMessageType::nak:
            if (dhcp_state_ != DhcpState::requesting && dhcp_state_ != DhcpState::renewing &&
                dhcp_state_ != DhcpState::rebinding)
                return drop(DropReason::dhcp_unexpected);
            // RFC 2131 3.1 step 5: restart. Repeated NAKs back off so a server that NAKs every
            // REQUEST cannot spin us.
            ++consecutive_naks_;
            if (config_.has_ipv4())
                dhcp_lose_lease(true);
            if (consecutive_naks_ > 1) {
                dhcp_state_ = DhcpState::declined;
                const int shift = std::min(consecutive_naks_ - 1, 6);
                dhcp_timer_ =
                    now + std::min<Duration>(std::chrono::seconds{1 << shift}, options_.dhcp_max_timeout);
                return;
            }
            return dhcp_begin(now);
        default:
            return drop(DropReason::dhcp_unexpected);
    }
}

void VirtualEthernet::dhcp_apply_lease(const DhcpMessage& message, const DhcpLeaseInfo& info, TimePoint now) {
    consecutive_naks_ = 0;
    NetworkConfig updated = config_;
    updated.source = ConfigSource::dhcp;
    updated.address = message.yiaddr;
    updated.prefix_length = natural_prefix(message.yiaddr);
    if (info.subnet_mask)
        if (auto length = mask_to_prefix(info.subnet_mask->value); length && *length > 0)
            updated.prefix_length = *length;
    updated.router = info.routers.empty() ? Ipv4Address{} : info.routers.front();
    updated.gateway = updated.router;
    updated.routes.clear();
    if (info.classless_routes) {
        // RFC 3442: with 121 present, ignore option 3 (advanced doc 4.1 "RFC 3442 conflict").
        if (options_.classless_routes_override_router)
            updated.gateway = {};
        for (const auto& route : *info.classless_routes) {
            if (route.prefix_length == 0)
                updated.gateway = route.gateway;
            else if (updated.routes.size() < 256)
                updated.routes.push_back(route);
        }
    }
    updated.dns = info.dns;
    updated.domain = info.domain;
    updated.search_domains = info.search_domains;
    updated.mtu = info.mtu.value_or(options_.default_mtu);
    updated.dhcp_server = info.server_id.is_zero() ? offer_server_ : info.server_id;
    // SecureNAT sends neither 58 nor 59: T1 = 50%, T2 = 87.5% (advanced doc 4.1). 0xffffffff = infinite.
    const std::uint32_t lease = info.lease_time.value_or(0xffffffffu);
    lease_infinite_ = lease == 0xffffffffu;
    std::uint32_t t1 = info.renewal_time.value_or(lease / 2);
    std::uint32_t t2 = info.rebinding_time.value_or(static_cast<std::uint32_t>(std::uint64_t{lease} * 7 / 8));
    if (t2 > lease)
        t2 = static_cast<std::uint32_t>(std::uint64_t{lease} * 7 / 8);
    if (t1 > t2)
        t1 = std::min(lease / 2, t2);
    updated.lease_time = seconds_of(lease);
    updated.renewal_time = seconds_of(t1);
    updated.rebinding_time = seconds_of(t2);
    dhcp_state_ = DhcpState::bound;
    dhcp_attempts_ = 0;
    offered_address_ = message.yiaddr;
    offer_server_ = updated.dhcp_server;
    if (lease_infinite_) {
        dhcp_timer_.reset();
    } else {
        t1_at_ = now + std::chrono::seconds{t1};
        t2_at_ = now + std::chrono::seconds{t2};
        expire_at_ = now + std::chrono::seconds{lease};
        dhcp_timer_ = t1_at_;
    }
    set_config(updated);
}

void VirtualEthernet::dhcp_lose_lease(bool notify_host) {
    NetworkConfig updated = config_;
    updated.source = ConfigSource::none;
    updated.address = {};
    updated.prefix_length = 0;
    updated.gateway = {};
    updated.router = {};
    updated.dns.clear();
    updated.domain.clear();
    updated.search_domains.clear();
    updated.routes.clear();
    updated.mtu = 0;
    updated.dhcp_server = {};
    updated.lease_time = updated.renewal_time = updated.rebinding_time = std::chrono::seconds{0};
    dhcp_timer_.reset();
    // Queued IPv4 packets can no longer be sent from this address.
    const auto before = pending_.size();
    std::erase_if(pending_, [](const Pending& p) { return (p.packet[0] >> 4) == 4; });
    counters_.dropped[static_cast<std::size_t>(DropReason::not_configured)] += before - pending_.size();
    set_config(updated);
    if (notify_host)
        host_.on_lease_lost();
}

void VirtualEthernet::on_address_conflict(TimePoint now) {
    ++counters_.address_conflicts;
    if (dhcp_state_ != DhcpState::bound && dhcp_state_ != DhcpState::renewing &&
        dhcp_state_ != DhcpState::rebinding)
        return;  // static addresses are the admin's call: count only
    // RFC 2131 3.1.5: DECLINE, then wait before starting over. SecureNAT ignores DECLINE
    // (advanced doc 4.3) and may offer the same address again.
    xid_ = rng_.next_u32();
    offered_address_ = config_.address;
    offer_server_ = config_.dhcp_server;
    dhcp_send(DhcpMessageType::decline, now);
    dhcp_lose_lease(true);
    dhcp_state_ = DhcpState::declined;
    dhcp_timer_ = now + options_.dhcp_decline_wait;
}

void VirtualEthernet::apply_static(TimePoint now) {
    if (!options_.static_config)
        return;
    NetworkConfig updated = *options_.static_config;
    updated.source = ConfigSource::static_config;
    if (updated.mtu == 0)
        updated.mtu = options_.default_mtu;
    updated.ipv6_link_local = config_.ipv6_link_local;
    updated.ipv6_address = config_.ipv6_address;
    updated.ipv6_prefix = config_.ipv6_prefix;
    updated.ipv6_prefix_length = config_.ipv6_prefix_length;
    updated.ipv6_router = config_.ipv6_router;
    updated.ipv6_dns = config_.ipv6_dns;
    updated.ipv6_mtu = config_.ipv6_mtu;
    set_config(updated);
    if (options_.dhcp_inform && config_.has_ipv4()) {
        dhcp_state_ = DhcpState::informing;
        xid_ = rng_.next_u32();
        dhcp_attempts_ = 0;
        dhcp_started_ = now;
        dhcp_send(DhcpMessageType::inform, now);
        dhcp_schedule_retransmit(now);
    }
}

void VirtualEthernet::release(TimePoint now) {
    if (dhcp_state_ == DhcpState::bound || dhcp_state_ == DhcpState::renewing ||
        dhcp_state_ == DhcpState::rebinding) {
        dhcp_send(DhcpMessageType::release, now);
        dhcp_lose_lease(false);
    }
    dhcp_state_ = DhcpState::released;
    dhcp_timer_.reset();
}

}  // namespace vpnse::ether
