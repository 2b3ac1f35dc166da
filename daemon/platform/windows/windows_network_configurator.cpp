#include "platform/windows/windows_network_configurator.hpp"

#include "core/file.hpp"
#include "platform/atomic_file.hpp"
#include "platform/windows/ip_helper_api.hpp"
#include "platform/windows/uplink_route_record.hpp"
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
    if (auto status = record_uplink_routes(plan.tunnel_id, applied, adapter); !status) {
        applied_.erase(plan.tunnel_id);
        return fail(status.error());  // unrecorded, a crash would leave them behind for good
    }
    applied_[plan.tunnel_id] = std::move(applied);
    return {};
}

std::filesystem::path WindowsNetworkConfigurator::record_path(const std::string& tunnel_id) const {
    return record_dir_ / (tunnel_id + std::string(kUplinkRecordSuffix));
}

Status WindowsNetworkConfigurator::record_uplink_routes(const std::string& tunnel_id, const Applied& applied,
                                                        const NET_LUID& adapter) {
    if (record_dir_.empty())
        return {};
    std::vector<UplinkRoute> uplink;
    for (const auto& row : applied.routes)
        if (row.InterfaceLuid.Value != adapter.Value)
            uplink.push_back(UplinkRoute{
                row.InterfaceLuid.Value,
                Cidr{address_of(row.DestinationPrefix.Prefix), row.DestinationPrefix.PrefixLength},
                address_of(row.NextHop)});
    if (uplink.empty()) {
        erase_record(tunnel_id);
        return {};
    }
    std::error_code ec;
    std::filesystem::create_directories(record_dir_, ec);
    if (auto status = write_file_atomically(record_path(tunnel_id), uplink_record_text(uplink)); !status)
        return Error(status.error().code(), "cannot record the uplink routes of tunnel " + tunnel_id +
                                                " in " + record_dir_.string() + ": " +
                                                status.error().message());
    return {};
}

void WindowsNetworkConfigurator::erase_record(const std::string& tunnel_id) {
    if (record_dir_.empty())
        return;
    std::error_code ec;
    std::filesystem::remove(record_path(tunnel_id), ec);
    if (ec)
        logger_.warn("could not remove the uplink route record",
                     {{"tunnel", tunnel_id}, {"error", ec.message()}});
}

std::vector<std::string> WindowsNetworkConfigurator::recover_stale_uplink_routes() {
    std::vector<std::string> problems;
    if (record_dir_.empty())
        return problems;
    std::error_code ec;
    std::vector<std::filesystem::path> records;
    for (const auto& entry : std::filesystem::directory_iterator(record_dir_, ec))
        if (entry.path().filename().string().ends_with(kUplinkRecordSuffix))
            records.push_back(entry.path());
    if (records.empty())
        return problems;
    auto loaded = api_();
    if (!loaded)
        return {loaded.error().message()};
    const IpHelperApi& api = **loaded;
    for (const auto& path : records) {
        const auto name = path.filename().string();
        auto text = read_small_file(path, 64 * 1024);
        auto routes = text ? parse_uplink_record(*text) : Result<std::vector<UplinkRoute>>(text.error());
        if (!routes) {
            problems.push_back(name + ": " + routes.error().message() + " (left in place)");
            continue;
        }
        bool clean = true;
        for (const auto& route : *routes) {
            MIB_IPFORWARD_ROW2 initialized;
            api.initialize_ip_forward_entry(&initialized);
            MIB_IPFORWARD_ROW2 recorded = initialized;  // what GetBestRoute2 named when it was added
            recorded.InterfaceLuid.Value = route.interface_luid;
            recorded.NextHop = sockaddr_of(route.next_hop);
            const auto row =
                uplink_route_row(initialized, recorded, RouteChange{route.destination, kRouteOnUplink, 0});
            const auto rc = api.delete_ip_forward_entry2(&row);
            if (rc != NO_ERROR && !gone(rc)) {
                clean = false;
                problems.push_back(
                    name + ": " +
                    win32_error("DeleteIpForwardEntry2 " + route.destination.to_string(), rc).message());
            }
        }
        if (clean) {
            logger_.warn("removed the uplink routes of a tunnel that did not end cleanly",
                         {{"record", name}, {"routes", std::to_string(routes->size())}});
            std::filesystem::remove(path, ec);
        }
    }
    return problems;
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
    erase_record(plan.tunnel_id);
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
