#pragma once
// DNS for one tunnel on Windows: the adapter's own DNS servers and search list through
// SetInterfaceDnsSettings (Windows 10 2004 and later; loaded at run time, so older systems get a
// clear error and the tunnel comes up without its DNS). Per adapter, so tunnels do not share anything;
// Windows prefers the tunnel's servers by the adapter's interface metric.
#include <optional>

#include "platform/dns_configurator.hpp"
#include "vpnse/log.hpp"

namespace vpnse::platform::windows {

class WindowsDnsConfigurator final : public DnsConfigurator {
  public:
    explicit WindowsDnsConfigurator(Logger logger) : logger_(std::move(logger)) {}

    std::string backend() const override { return "SetInterfaceDnsSettings"; }
    DnsRecord describe(const DnsSettings& settings) const override;
    Status apply(const DnsSettings& settings) override;
    Status revert() override;

  private:
    Logger logger_;
    std::optional<int> applied_ifindex_;
};

}  // namespace vpnse::platform::windows
