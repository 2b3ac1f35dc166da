#include "platform/windows/windows_network_configurator.hpp"

#include "platform/windows/ip_helper_api.hpp"
#include "platform/windows/win32_error.hpp"

namespace vpnse::platform::windows {
namespace {

bool gone(DWORD rc) {
    return rc == ERROR_NOT_FOUND || rc == ERROR_FILE_NOT_FOUND || rc == ERROR_INVALID_PARAMETER;
}

// Sets the adapter's MTU for one family. IPv6 may be disabled on the adapter: that is not an error.
Status set_mtu(const IpHelperApi& api, const NET_LUID& luid, ADDRESS_FAMILY family, std::uint32_t mtu) {
    MIB_IPINTERFACE_ROW row;
    api.initialize_ip_interface_entry(&row);
    row.Family = family;
    row.InterfaceLuid = luid;
    if (auto rc = api.get_ip_interface_entry(&row); rc != NO_ERROR)
        return family == AF_INET6 ? Status{} : Status(win32_error("GetIpInterfaceEntry", rc));
    row.NlMtu = mtu;
    if (family == AF_INET)
        row.SitePrefixLength = 0;  // must be 0 for IPv4 in SetIpInterfaceEntry
    if (auto rc = api.set_ip_interface_entry(&row); rc != NO_ERROR)
        return win32_error("SetIpInterfaceEntry (MTU " + std::to_string(mtu) + ")", rc);
    return {};
}

}  // namespace

Status WindowsNetworkConfigurator::apply(const NetworkPlan& plan) {
    auto loaded = api_();
    if (!loaded)
        return loaded.error();
    const IpHelperApi& api = **loaded;
    NET_LUID adapter{};
    if (auto rc = api.convert_interface_index_to_luid(static_cast<NET_IFINDEX>(plan.ifindex), &adapter);
        rc != NO_ERROR)
        return win32_error("adapter " + plan.ifname + " (index " + std::to_string(plan.ifindex) + ")", rc);
    if (auto status = set_mtu(api, adapter, AF_INET, plan.mtu); !status)
        return status;
    if (auto status = set_mtu(api, adapter, AF_INET6, plan.mtu); !status)
        logger_.warn("could not set the IPv6 MTU", {{"error", status.error().message()}});

    Applied applied;
    auto fail = [&](Error error) -> Status {
        undo(applied);
        return error;
    };
    for (const auto& change : plan.addresses) {
        const auto row = unicast_address_row(adapter, change.address);
        if (auto rc = api.create_unicast_ip_address_entry(&row); rc != NO_ERROR)
            return fail(win32_error("CreateUnicastIpAddressEntry " + change.address.to_string(), rc));
        applied.addresses.push_back(row);
    }
    for (const auto& change : plan.routes) {
        MIB_IPFORWARD_ROW2 initialized;
        api.initialize_ip_forward_entry(&initialized);
        MIB_IPFORWARD_ROW2 row;
        if (change.table == kRouteOnUplink) {
            SOCKADDR_INET destination = sockaddr_of(change.destination.address);
            MIB_IPFORWARD_ROW2 best;
            SOCKADDR_INET source;
            if (auto rc = api.get_best_route2(nullptr, 0, nullptr, &destination, 0, &best, &source);
                rc != NO_ERROR)
                return fail(win32_error("GetBestRoute2 " + change.destination.to_string(), rc));
            if (best.InterfaceLuid.Value == adapter.Value)
                continue;  // only reachable through the tunnel anyway (an earlier tunnel's routes)
            row = uplink_route_row(initialized, best, change);
        } else {
            row = tunnel_route_row(initialized, adapter, change);
        }
        if (auto rc = api.create_ip_forward_entry2(&row); rc != NO_ERROR) {
            if (rc == ERROR_OBJECT_ALREADY_EXISTS) {
                // Someone else's route with the same prefix on that interface: theirs to keep.
                logger_.warn("route exists already; left to its holder",
                             {{"route", change.destination.to_string()}, {"tunnel", plan.tunnel_id}});
                continue;
            }
            return fail(win32_error("CreateIpForwardEntry2 " + change.destination.to_string(), rc));
        }
        applied.routes.push_back(row);
    }
    undo(applied_[plan.tunnel_id]);  // a stale set of the same tunnel (not removed) goes first
    applied_[plan.tunnel_id] = std::move(applied);
    return {};
}

void WindowsNetworkConfigurator::undo(const Applied& applied) {
    auto loaded = api_();
    if (!loaded)
        return;
    const IpHelperApi& api = **loaded;
    for (auto it = applied.routes.rbegin(); it != applied.routes.rend(); ++it) {
        if (auto rc = api.delete_ip_forward_entry2(&*it); rc != NO_ERROR && !gone(rc))
            logger_.warn("could not delete a route",
                         {{"error", win32_error("DeleteIpForwardEntry2", rc).message()}});
    }
    for (auto it = applied.addresses.rbegin(); it != applied.addresses.rend(); ++it) {
        if (auto rc = api.delete_unicast_ip_address_entry(&*it); rc != NO_ERROR && !gone(rc))
            logger_.warn("could not delete an address",
                         {{"error", win32_error("DeleteUnicastIpAddressEntry", rc).message()}});
    }
}

Status WindowsNetworkConfigurator::remove(const NetworkPlan& plan) {
    auto it = applied_.find(plan.tunnel_id);
    if (it == applied_.end())
        return {};  // nothing of ours (the adapter's own routes and addresses went with it)
    undo(it->second);
    applied_.erase(it);
    return {};
}

Result<std::size_t> WindowsNetworkConfigurator::restore(const NetworkPlan& plan) {
    auto it = applied_.find(plan.tunnel_id);
    if (it == applied_.end())
        return std::size_t{0};
    auto loaded = api_();
    if (!loaded)
        return loaded.error();
    const IpHelperApi& api = **loaded;
    std::size_t restored = 0;
    for (const auto& route : it->second.routes) {
        MIB_IPFORWARD_ROW2 probe = route;
        if (api.get_ip_forward_entry2(&probe) != ERROR_NOT_FOUND)
            continue;
        if (auto rc = api.create_ip_forward_entry2(&route); rc != NO_ERROR)
            return win32_error("CreateIpForwardEntry2 (restore)", rc);
        ++restored;
    }
    return restored;
}

}  // namespace vpnse::platform::windows
