#include "platform/linux/network_configurator.hpp"

#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "platform/linux/netlink.hpp"
#include "platform/state_journal.hpp"

namespace vpnse::platform {

namespace {

constexpr std::uint32_t kMainTable = RT_TABLE_MAIN;

void add_full_tunnel_rules(const TunnelNetworkSettings& s, const PolicyRouting& r, IpFamily family,
                           NetworkPlan& plan) {
    for (const auto& ex : s.exclude) {
        if (ex.family() != family)
            continue;
        RuleChange rule;
        rule.family = family;
        rule.priority = r.rule_priority - 2;
        rule.table = kMainTable;
        rule.has_destination = true;
        rule.destination = ex.network();
        plan.rules.push_back(rule);
    }
    RuleChange suppress;
    suppress.family = family;
    suppress.priority = r.rule_priority - 1;
    suppress.table = kMainTable;
    suppress.suppress_prefixlength = 0;
    plan.rules.push_back(suppress);

    RuleChange tunnel;
    tunnel.family = family;
    tunnel.priority = r.rule_priority;
    tunnel.table = r.table;
    tunnel.fwmark = r.fwmark;
    tunnel.invert = true;
    plan.rules.push_back(tunnel);
}

// Netlink request for a fib rule; libnl 3.7 has no setters for FIB_RULE_INVERT or
// FRA_SUPPRESS_PREFIXLEN, so the message is built by hand.
Status send_rule(nl_sock* sock, const RuleChange& rule, bool add) {
    nl::NlMsg msg(nlmsg_alloc_simple(add ? RTM_NEWRULE : RTM_DELRULE, add ? NLM_F_CREATE | NLM_F_EXCL : 0));
    if (!msg)
        return Error(ErrorCode::internal, "nlmsg_alloc failed");
    fib_rule_hdr hdr{};
    hdr.family = static_cast<std::uint8_t>(nl::address_family(rule.family));
    hdr.action = FR_ACT_TO_TBL;
    hdr.table = rule.table < 256 ? static_cast<std::uint8_t>(rule.table) : std::uint8_t{RT_TABLE_UNSPEC};
    hdr.flags = rule.invert ? FIB_RULE_INVERT : 0;
    hdr.dst_len = rule.has_destination ? static_cast<std::uint8_t>(rule.destination.prefix) : 0;
    int rc = nlmsg_append(msg.get(), &hdr, sizeof hdr, NLMSG_ALIGNTO);
    if (rc == 0)
        rc = nla_put_u32(msg.get(), FRA_PRIORITY, rule.priority);
    if (rc == 0)
        rc = nla_put_u32(msg.get(), FRA_TABLE, rule.table);
    if (rc == 0 && rule.fwmark != 0) {
        rc = nla_put_u32(msg.get(), FRA_FWMARK, rule.fwmark);
        if (rc == 0)
            rc = nla_put_u32(msg.get(), FRA_FWMASK, 0xffffffffU);
    }
    if (rc == 0 && rule.suppress_prefixlength >= 0)
        rc = nla_put_u32(msg.get(), FRA_SUPPRESS_PREFIXLEN,
                         static_cast<std::uint32_t>(rule.suppress_prefixlength));
    if (rc == 0 && rule.has_destination)
        rc = nla_put(msg.get(), FRA_DST, static_cast<int>(rule.destination.address.byte_length()),
                     rule.destination.address.bytes().data());
    if (rc < 0)
        return nl::netlink_error(rc, "build rule message");
    rc = nl_send_auto(sock, msg.get());
    if (rc >= 0)
        rc = nl_wait_for_ack(sock);
    if (rc < 0)
        return nl::netlink_error(
            rc, std::string(add ? "add" : "delete") + " rule priority " + std::to_string(rule.priority));
    return {};
}

nl::RtnlRoute make_route(const RouteChange& change, int ifindex) {
    nl::RtnlRoute route(rtnl_route_alloc());
    if (!route)
        return route;
    const bool v4 = change.destination.family() == IpFamily::v4;
    rtnl_route_set_family(route.get(),
                          static_cast<std::uint8_t>(nl::address_family(change.destination.family())));
    rtnl_route_set_table(route.get(), change.table);
    rtnl_route_set_type(route.get(), RTN_UNICAST);
    rtnl_route_set_protocol(route.get(), RTPROT_STATIC);
    rtnl_route_set_scope(route.get(), v4 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
    if (change.metric != 0)
        rtnl_route_set_priority(route.get(), change.metric);
    auto dst = nl::make_nl_addr(change.destination);
    rtnl_route_set_dst(route.get(), dst.get());  // takes its own reference
    rtnl_nexthop* hop = rtnl_route_nh_alloc();
    rtnl_route_nh_set_ifindex(hop, ifindex);
    rtnl_route_add_nexthop(route.get(), hop);  // the route owns the nexthop from here on
    return route;
}

nl::RtnlAddr make_address(const AddressChange& change, int ifindex) {
    nl::RtnlAddr addr(rtnl_addr_alloc());
    if (!addr)
        return addr;
    rtnl_addr_set_ifindex(addr.get(), ifindex);
    rtnl_addr_set_family(addr.get(), nl::address_family(change.address.family()));
    auto local = nl::make_nl_addr(change.address);
    rtnl_addr_set_local(addr.get(), local.get());
    rtnl_addr_set_prefixlen(addr.get(), change.address.prefix);
    // No duplicate address detection on a point-to-point tunnel: the address is usable at once.
    if (change.address.family() == IpFamily::v6)
        rtnl_addr_set_flags(addr.get(), IFA_F_NODAD);
    return addr;
}

// The interface of the main-table route that has `change`'s prefix and metric, for messages.
std::string route_holder(nl_sock* sock, const RouteChange& change) {
    nl_cache* raw = nullptr;
    if (rtnl_route_alloc_cache(sock, nl::address_family(change.destination.family()), 0, &raw) < 0)
        return "unknown";
    nl::NlCache cache(raw);
    const auto wanted = nl::make_nl_addr(change.destination);
    for (nl_object* object = nl_cache_get_first(cache.get()); object; object = nl_cache_get_next(object)) {
        auto* route = reinterpret_cast<rtnl_route*>(object);
        if (rtnl_route_get_table(route) != change.table || rtnl_route_get_priority(route) != change.metric ||
            nl_addr_cmp(rtnl_route_get_dst(route), wanted.get()) != 0 || rtnl_route_get_nnexthops(route) < 1)
            continue;
        char name[IF_NAMESIZE] = {};
        const int ifindex = rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(route, 0));
        return if_indextoname(static_cast<unsigned>(ifindex), name) ? name
                                                                    : "ifindex " + std::to_string(ifindex);
    }
    return "unknown";
}

int resolve_ifindex(const NetworkPlan& plan) {
    const unsigned by_name = plan.ifname.empty() ? 0 : if_nametoindex(plan.ifname.c_str());
    return by_name != 0 ? static_cast<int>(by_name) : plan.ifindex;
}

}  // namespace

Result<NetworkPlan> plan_linux_network(const TunnelNetworkSettings& s, const PolicyRouting& r) {
    if (!is_valid_tunnel_id(s.tunnel_id))
        return Error(ErrorCode::invalid_argument, "bad tunnel id '" + s.tunnel_id + "'");
    if (s.ifname.empty() || s.ifname.size() >= IFNAMSIZ)
        return Error(ErrorCode::invalid_argument, "bad interface name '" + s.ifname + "'");
    if (s.mtu < 68 || s.mtu > 65535)
        return Error(ErrorCode::invalid_argument, "MTU out of range");
    if (s.full_tunnel &&
        (r.rule_priority < 3 || r.table == 0 || r.table == kMainTable || (r.table >= 252 && r.table <= 255)))
        return Error(ErrorCode::invalid_argument,
                     "full tunnel needs a private table and a rule priority >= 3");
    if (s.full_tunnel && r.fwmark == 0)
        return Error(ErrorCode::invalid_argument, "full tunnel needs a non-zero fwmark");

    auto started = plan_interface(s);
    if (!started)
        return started.error();
    NetworkPlan plan = std::move(*started);

    if (s.full_tunnel) {
        plan.fwmark = r.fwmark;
        // IPv6 goes into the tunnel even without an IPv6 address, so it cannot leak beside it.
        plan.routes.push_back(RouteChange{Cidr::any(IpFamily::v4), r.table, 0});
        plan.routes.push_back(RouteChange{Cidr::any(IpFamily::v6), r.table, 0});
        add_full_tunnel_rules(s, r, IpFamily::v4, plan);
        add_full_tunnel_rules(s, r, IpFamily::v6, plan);
        return plan;
    }

    for (const auto& route : split_tunnel_routes(s))
        plan.routes.push_back(RouteChange{
            route, kMainTable,
            route.family() == IpFamily::v4 ? s.route_metric : kIpv6DefaultMetric + s.route_metric});
    return plan;
}

Result<NetworkPlan> LinuxNetworkConfigurator::plan(const TunnelNetworkSettings& settings) const {
    return plan_linux_network(settings, routing_);
}

Status LinuxNetworkConfigurator::apply(const NetworkPlan& plan) {
    auto sock = nl::open_route_socket();
    if (!sock)
        return std::move(sock).error();
    const int ifindex = resolve_ifindex(plan);

    rtnl_link* raw_link = nullptr;
    if (const int rc = rtnl_link_get_kernel(sock->get(), ifindex, nullptr, &raw_link); rc < 0)
        return nl::netlink_error(rc, "find link " + plan.ifname);
    nl::RtnlLink link(raw_link);
    nl::RtnlLink change(rtnl_link_alloc());
    if (plan.mtu != 0)
        rtnl_link_set_mtu(change.get(), plan.mtu);
    rtnl_link_set_flags(change.get(), IFF_UP);
    if (const int rc = rtnl_link_change(sock->get(), link.get(), change.get(), 0); rc < 0)
        return nl::netlink_error(rc, "set MTU/up on " + plan.ifname);

    // Track progress so a failure rolls back exactly what this call added.
    NetworkPlan done = plan;
    done.addresses.clear();
    done.routes.clear();
    done.rules.clear();
    auto fail = [&](Error error) -> Status {
        log_.warn("network apply failed, rolling back",
                  {{"ifname", plan.ifname}, {"error", error.to_string()}});
        if (auto undone = remove(done); !undone)
            log_.warn("network rollback incomplete",
                      {{"ifname", plan.ifname}, {"error", undone.error().to_string()}});
        return error;
    };

    for (const auto& a : plan.addresses) {
        auto addr = make_address(a, ifindex);
        if (const int rc = rtnl_addr_add(sock->get(), addr.get(), NLM_F_CREATE | NLM_F_EXCL); rc < 0)
            return fail(nl::netlink_error(rc, "add address " + a.address.to_string()));
        done.addresses.push_back(a);
    }
    for (const auto& r : plan.routes) {
        auto route = make_route(r, ifindex);
        if (const int rc = rtnl_route_add(sock->get(), route.get(), NLM_F_CREATE | NLM_F_EXCL); rc < 0) {
            auto error = nl::netlink_error(rc, "add route " + r.destination.to_string());
            if (error.code() != ErrorCode::already_exists || r.table != kMainTable)
                return fail(std::move(error));
            // Not ours to replace: the prefix stays with its holder, the rest of the tunnel works.
            log_.warn("route already on this host; not routed through this tunnel",
                      {{"ifname", plan.ifname},
                       {"route", r.destination.to_string()},
                       {"metric", std::to_string(r.metric)},
                       {"held_by", route_holder(sock->get(), r)}});
            continue;
        }
        done.routes.push_back(r);
    }
    for (const auto& rule : plan.rules) {
        if (auto st = send_rule(sock->get(), rule, true); !st)
            return fail(std::move(st).error());
        done.rules.push_back(rule);
    }
    log_.info("network configured", {{"ifname", plan.ifname},
                                     {"addresses", std::to_string(plan.addresses.size())},
                                     {"routes", std::to_string(plan.routes.size())},
                                     {"rules", std::to_string(plan.rules.size())}});
    return {};
}

Status LinuxNetworkConfigurator::remove(const NetworkPlan& plan) {
    auto sock = nl::open_route_socket();
    if (!sock)
        return std::move(sock).error();
    const int ifindex = resolve_ifindex(plan);
    Status first;
    auto note = [&](Status st) {
        if (!st && first)
            first = std::move(st);
    };
    // Reverse order: rules first so traffic stops entering the tunnel table before its routes go.
    for (auto it = plan.rules.rbegin(); it != plan.rules.rend(); ++it) {
        auto st = send_rule(sock->get(), *it, false);
        if (!st && st.error().code() != ErrorCode::not_found)
            note(std::move(st));
    }
    for (auto it = plan.routes.rbegin(); it != plan.routes.rend(); ++it) {
        auto route = make_route(*it, ifindex);
        const int rc = rtnl_route_delete(sock->get(), route.get(), 0);
        if (rc < 0 && !nl::is_gone(rc))
            note(nl::netlink_error(rc, "delete route " + it->destination.to_string()));
    }
    for (auto it = plan.addresses.rbegin(); it != plan.addresses.rend(); ++it) {
        auto addr = make_address(*it, ifindex);
        const int rc = rtnl_addr_delete(sock->get(), addr.get(), 0);
        if (rc < 0 && !nl::is_gone(rc))
            note(nl::netlink_error(rc, "delete address " + it->address.to_string()));
    }
    return first;
}

Result<std::size_t> LinuxNetworkConfigurator::restore(const NetworkPlan& plan) {
    auto sock = nl::open_route_socket();
    if (!sock)
        return std::move(sock).error();
    const int ifindex = resolve_ifindex(plan);
    std::size_t restored = 0;
    // An exclusive add either re-creates a missing entry or answers "exists": no read-back needed.
    auto count = [&](int rc, const std::string& what) -> Status {
        if (rc >= 0) {
            ++restored;
            return {};
        }
        auto error = nl::netlink_error(rc, what);
        if (error.code() == ErrorCode::already_exists)
            return {};
        return error;
    };
    for (const auto& a : plan.addresses) {
        auto addr = make_address(a, ifindex);
        if (auto st = count(rtnl_addr_add(sock->get(), addr.get(), NLM_F_CREATE | NLM_F_EXCL),
                            "restore address " + a.address.to_string());
            !st)
            return std::move(st).error();
    }
    for (const auto& r : plan.routes) {
        auto route = make_route(r, ifindex);
        if (auto st = count(rtnl_route_add(sock->get(), route.get(), NLM_F_CREATE | NLM_F_EXCL),
                            "restore route " + r.destination.to_string());
            !st)
            return std::move(st).error();
    }
    for (const auto& rule : plan.rules) {
        auto st = send_rule(sock->get(), rule, true);
        if (st) {
            ++restored;
        } else if (st.error().code() != ErrorCode::already_exists) {
            return std::move(st).error();
        }
    }
    if (restored > 0)
        log_.warn("re-added tunnel routes removed by someone else",
                  {{"ifname", plan.ifname}, {"entries", std::to_string(restored)}});
    return restored;
}

Status LinuxNetworkConfigurator::protect_socket(std::intptr_t native_socket) {
    const std::uint32_t fwmark = routing_.fwmark;
    if (::setsockopt(static_cast<int>(native_socket), SOL_SOCKET, SO_MARK, &fwmark, sizeof fwmark) != 0) {
        const int e = errno;
        return Error(e == EPERM ? ErrorCode::permission_denied : ErrorCode::io_error,
                     std::string("SO_MARK: ") + std::strerror(e));
    }
    return {};
}

Status delete_tun_link(const std::string& ifname) {
    auto sock = nl::open_route_socket();
    if (!sock)
        return std::move(sock).error();
    rtnl_link* raw = nullptr;
    if (const int rc = rtnl_link_get_kernel(sock->get(), 0, ifname.c_str(), &raw); rc < 0)
        return nl::is_gone(rc) ? Status{} : Status{nl::netlink_error(rc, "find link " + ifname)};
    nl::RtnlLink link(raw);
    const char* type = rtnl_link_get_type(link.get());
    // Only ever delete a TUN: the name may have been reused by an unrelated device meanwhile.
    if (type == nullptr || std::strcmp(type, "tun") != 0)
        return {};
    if (const int rc = rtnl_link_delete(sock->get(), link.get()); rc < 0 && !nl::is_gone(rc))
        return nl::netlink_error(rc, "delete link " + ifname);
    return {};
}

}  // namespace vpnse::platform
