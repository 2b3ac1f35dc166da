#pragma once
// DNS through systemd-resolved's D-Bus API (org.freedesktop.resolve1.Manager): per-link servers,
// search and routing-only domains, default-route flag; RevertLink undoes all of it.
#include <memory>
#include <optional>
#include <string>

#include "platform/dns_configurator.hpp"
#include "vpnse/log.hpp"

namespace sdbus {
class IConnection;
}

namespace vpnse::platform {

class ResolvedDnsConfigurator final : public DnsConfigurator {
  public:
    // Without an address it uses the system bus (honouring DBUS_SYSTEM_BUS_ADDRESS); tests pass
    // the address of a private dbus-daemon.
    static Result<std::unique_ptr<ResolvedDnsConfigurator>> connect(
        std::optional<std::string> bus_address = {}, Logger log = {});
    explicit ResolvedDnsConfigurator(std::unique_ptr<sdbus::IConnection> connection, Logger log = {});
    ~ResolvedDnsConfigurator() override;

    std::string backend() const override { return "resolved"; }
    DnsRecord describe(const DnsSettings& settings) const override;
    Status apply(const DnsSettings& settings) override;
    Status revert() override;
    // RevertLink for any ifindex (crash recovery); an unknown link is not an error.
    Status revert_link(int ifindex);

  private:
    std::unique_ptr<sdbus::IConnection> connection_;
    Logger log_;
    int applied_ifindex_ = 0;
};

// True when org.freedesktop.resolve1 has an owner on the bus.
bool resolved_available(const std::optional<std::string>& bus_address = {});

}  // namespace vpnse::platform
