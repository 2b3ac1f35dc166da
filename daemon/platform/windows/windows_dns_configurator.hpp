#pragma once
// DNS for one tunnel on Windows: the adapter's own DNS servers and search list through
// SetInterfaceDnsSettings (Windows 10 2004 and later; loaded at run time, so older systems get a
// clear error and the tunnel comes up without its DNS). Per adapter, so tunnels do not share anything;
// Windows prefers the tunnel's servers by the adapter's interface metric.
#include <optional>
#include <vector>

#include "platform/dns_configurator.hpp"
#include "platform/windows/ip_helper_api.hpp"
#include "platform/windows/ip_helper_requests.hpp"
#include "vpnse/log.hpp"

namespace vpnse::platform::windows {

class WindowsDnsConfigurator final : public DnsConfigurator {
  public:
    // The loaders find the system's functions by default, fakes in the unit tests.
    explicit WindowsDnsConfigurator(Logger logger, IpHelperLoader ip_helper_api = ip_helper,
                                    DnsSettingsLoader dns_api = dns_settings_api)
        : logger_(std::move(logger)), ip_helper_(ip_helper_api), dns_api_(dns_api) {}

    std::string backend() const override { return "SetInterfaceDnsSettings"; }
    DnsRecord describe(const DnsSettings& settings) const override;
    Status apply(const DnsSettings& settings) override;
    Status revert() override;

  private:
    Status send(int ifindex, std::vector<DnsInterfaceRequest> requests) const;

    Logger logger_;
    IpHelperLoader ip_helper_;
    DnsSettingsLoader dns_api_;
    std::optional<int> applied_ifindex_;
};

}  // namespace vpnse::platform::windows
