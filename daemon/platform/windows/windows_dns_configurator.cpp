#include "platform/windows/windows_dns_configurator.hpp"

#include "platform/windows/ip_helper_api.hpp"
#include "platform/windows/ip_helper_requests.hpp"
#include "platform/windows/win32_error.hpp"

namespace vpnse::platform::windows {
namespace {

Result<GUID> adapter_guid(IpHelperLoader ip_helper_api, int ifindex) {
    auto loaded = ip_helper_api();
    if (!loaded)
        return loaded.error();
    NET_LUID luid{};
    if (auto rc = (*loaded)->convert_interface_index_to_luid(static_cast<NET_IFINDEX>(ifindex), &luid);
        rc != NO_ERROR)
        return win32_error("adapter index " + std::to_string(ifindex), rc);
    GUID guid{};
    if (auto rc = (*loaded)->convert_interface_luid_to_guid(&luid, &guid); rc != NO_ERROR)
        return win32_error("ConvertInterfaceLuidToGuid", rc);
    return guid;
}

}  // namespace

Status WindowsDnsConfigurator::send(int ifindex, std::vector<DnsInterfaceRequest> requests) const {
    auto set_dns = dns_api_();
    if (!set_dns)
        return set_dns.error();
    auto guid = adapter_guid(ip_helper_, ifindex);
    if (!guid)
        return guid.error();
    for (auto& request : requests) {
        const DnsInterfaceSettings settings = dns_interface_settings(request);
        if (auto rc = set_dns->set_interface_dns_settings(*guid, &settings); rc != NO_ERROR)
            return win32_error(
                std::string("SetInterfaceDnsSettings (") + (request.ipv6 ? "IPv6" : "IPv4") + ")", rc);
    }
    return {};
}

DnsRecord WindowsDnsConfigurator::describe(const DnsSettings& settings) const {
    DnsRecord record;
    record.backend = backend();
    record.ifindex = settings.ifindex;
    return record;
}

Status WindowsDnsConfigurator::apply(const DnsSettings& settings) {
    auto requests = dns_requests(settings);
    if (!requests)
        return requests.error();
    if (auto status = send(settings.ifindex, std::move(requests).value()); !status)
        return status;
    applied_ifindex_ = settings.ifindex;
    logger_.info("DNS set on the adapter", {{"interface", settings.ifname}});
    return {};
}

Status WindowsDnsConfigurator::revert() {
    if (!applied_ifindex_)
        return {};
    const int ifindex = *std::exchange(applied_ifindex_, std::nullopt);
    auto status = send(ifindex, dns_clear_requests());
    // The adapter (and its settings with it) may be gone already.
    if (!status && status.error().code() == ErrorCode::not_found)
        return {};
    return status;
}

}  // namespace vpnse::platform::windows
