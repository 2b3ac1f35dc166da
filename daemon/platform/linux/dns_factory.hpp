#pragma once
// Picks the DNS backend from the daemon setting (dns_backend = "auto" | "resolved" | "resolv.conf").
#include <memory>
#include <optional>
#include <string>

#include "platform/dns_configurator.hpp"
#include "vpnse/log.hpp"

namespace vpnse::platform {

enum class DnsBackend { automatic, resolved, resolv_conf };

struct DnsBackendOptions {
    DnsBackend backend = DnsBackend::automatic;
    std::optional<std::string> bus_address;  // empty: the system bus
    std::string resolv_conf_path = "/etc/resolv.conf";
    // Where the resolv.conf backend keeps the original; put it in the state directory.
    std::string backup_path = "/run/vpnse/state/resolv.conf.orig";
};

// auto: resolved when org.freedesktop.resolve1 is on the bus (also the right answer when
// /etc/resolv.conf is a symlink to resolved's stub), else resolv.conf.
Result<std::unique_ptr<DnsConfigurator>> make_dns_configurator(const DnsBackendOptions& options,
                                                               Logger log = {});

}  // namespace vpnse::platform
