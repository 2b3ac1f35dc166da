// Test driver for tests/e2e/platform_dns: brings up a TUN, applies DNS through a chosen backend,
// runs a check command, reverts, runs another check. Not installed; never linked into vpnsed.
//
//   platform_dns_probe [--backend auto|resolved|resolv.conf] [--bus ADDRESS] [--path FILE]
//       [--backup FILE] [--ifname NAME] [--dns IP]... [--search DOMAIN]... [--routing DOMAIN]...
//       [--default-route] [--check-applied CMD] [--check-reverted CMD]
// The checks run with VPNSE_IFNAME, VPNSE_IFINDEX and VPNSE_BACKEND in their environment.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "platform/linux/dns_factory.hpp"
#include "platform/linux/network_configurator.hpp"
#include "platform/linux/tun_device.hpp"

using namespace vpnse::platform;

namespace {

int fail(const std::string& what) {
    std::fprintf(stderr, "platform_dns_probe: %s\n", what.c_str());
    return 1;
}

bool run_check(const std::string& command, const char* stage) {
    if (command.empty())
        return true;
    const int rc = std::system(command.c_str());
    if (rc != 0)
        std::fprintf(stderr, "platform_dns_probe: %s check failed (%d): %s\n", stage, rc, command.c_str());
    return rc == 0;
}

}  // namespace

int main(int argc, char** argv) {
    DnsBackendOptions options;
    options.backup_path = "/tmp/vpnse-probe-resolv.conf.orig";
    DnsSettings dns;
    std::string ifname = "vpnseprobe0";
    std::string check_applied, check_reverted;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "missing value for %s\n", arg.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--backend") {
            const auto v = value();
            options.backend = v == "resolved"      ? DnsBackend::resolved
                              : v == "resolv.conf" ? DnsBackend::resolv_conf
                                                   : DnsBackend::automatic;
        } else if (arg == "--bus") {
            options.bus_address = value();
        } else if (arg == "--path") {
            options.resolv_conf_path = value();
        } else if (arg == "--backup") {
            options.backup_path = value();
        } else if (arg == "--ifname") {
            ifname = value();
        } else if (arg == "--dns") {
            auto ip = IpAddress::parse(value());
            if (!ip)
                return fail(ip.error().to_string());
            dns.servers.push_back(*ip);
        } else if (arg == "--search") {
            dns.search_domains.push_back(value());
        } else if (arg == "--routing") {
            dns.routing_domains.push_back(value());
        } else if (arg == "--default-route") {
            dns.default_route = true;
        } else if (arg == "--check-applied") {
            check_applied = value();
        } else if (arg == "--check-reverted") {
            check_reverted = value();
        } else {
            return fail("unknown argument " + arg);
        }
    }

    // resolved only gives a link DNS scopes when it has carrier: keep the TUN fd open throughout.
    LinuxTunDeviceFactory tuns;
    auto tun = tuns.open(TunOptions{ifname, 1400, false});
    if (!tun)
        return fail(tun.error().to_string());
    LinuxNetworkConfigurator net;
    TunnelNetworkSettings settings;
    settings.tunnel_id = "probe";
    settings.ifname = (*tun)->name();
    settings.ifindex = (*tun)->ifindex();
    settings.mtu = 1400;
    settings.addresses = {*Cidr::parse("10.200.0.2/24")};
    auto plan = net.plan(settings);
    if (!plan)
        return fail(plan.error().to_string());
    if (auto st = net.apply(*plan); !st)
        return fail(st.error().to_string());

    dns.ifname = (*tun)->name();
    dns.ifindex = (*tun)->ifindex();
    auto configurator = make_dns_configurator(options);
    if (!configurator)
        return fail(configurator.error().to_string());
    const auto backend = (*configurator)->backend();
    std::printf("backend %s ifname %s ifindex %d\n", backend.c_str(), dns.ifname.c_str(), dns.ifindex);
    std::fflush(stdout);
    ::setenv("VPNSE_IFNAME", dns.ifname.c_str(), 1);
    ::setenv("VPNSE_IFINDEX", std::to_string(dns.ifindex).c_str(), 1);
    ::setenv("VPNSE_BACKEND", backend.c_str(), 1);

    if (auto st = (*configurator)->apply(dns); !st)
        return fail("apply: " + st.error().to_string());
    bool ok = run_check(check_applied, "applied");
    if (auto st = (*configurator)->revert(); !st)
        return fail("revert: " + st.error().to_string());
    ok = run_check(check_reverted, "reverted") && ok;
    (void)net.remove(*plan);
    return ok ? 0 : 1;
}
