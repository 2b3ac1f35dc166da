#include "platform/linux/dns_factory.hpp"

#include "platform/linux/resolv_conf_dns.hpp"
#include "platform/linux/resolved_dns.hpp"

namespace vpnse::platform {

Result<std::unique_ptr<DnsConfigurator>> make_dns_configurator(const DnsBackendOptions& options, Logger log) {
    bool use_resolved = options.backend == DnsBackend::resolved;
    if (options.backend == DnsBackend::automatic)
        use_resolved = resolved_available(options.bus_address);
    if (use_resolved) {
        auto resolved = ResolvedDnsConfigurator::connect(options.bus_address, log.child("resolved"));
        if (!resolved)
            return std::move(resolved).error();
        return std::unique_ptr<DnsConfigurator>(std::move(resolved).value());
    }
    return std::unique_ptr<DnsConfigurator>(std::make_unique<ResolvConfDnsConfigurator>(
        options.resolv_conf_path, options.backup_path, log.child("resolv_conf")));
}

}  // namespace vpnse::platform
