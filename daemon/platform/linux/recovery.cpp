#include "platform/linux/recovery.hpp"

#include "platform/linux/network_configurator.hpp"
#include "platform/linux/nft_kill_switch.hpp"
#include "platform/linux/resolv_conf_dns.hpp"
#include "platform/linux/resolved_dns.hpp"

namespace vpnse::platform {

RecoveryReport recover_stale(StateJournal& journal, const std::set<std::string>& running,
                             const RecoveryOptions& options, Logger log) {
    RecoveryReport report;
    auto entries = journal.load_all();
    if (!entries) {
        report.errors.push_back(entries.error().to_string());
        return report;
    }
    LinuxNetworkConfigurator network(log.child("network"));
    for (auto& entry : *entries) {
        if (running.count(entry.tunnel_id) != 0)
            continue;
        log.warn("recovering stale tunnel state", {{"tunnel", entry.tunnel_id}, {"ifname", entry.ifname}});
        bool clean = true;
        auto note = [&](const Status& st) {
            if (!st) {
                clean = false;
                report.errors.push_back(entry.tunnel_id + ": " + st.error().to_string());
            }
        };
        note(network.remove(entry.network));
        note(delete_tun_link(entry.ifname));
        if (entry.dns) {
            if (entry.dns->backend == "resolved") {
                auto resolved = ResolvedDnsConfigurator::connect(options.bus_address);
                if (resolved)
                    note((*resolved)->revert_link(entry.dns->ifindex));
                // No bus or no resolved: it cannot still hold our link settings.
            } else {
                note(restore_resolv_conf(*entry.dns));
            }
        }
        if (entry.kill_switch && options.clear_kill_switch) {
            NftKillSwitch kill_switch;
            note(kill_switch.release(*entry.kill_switch));
            if (clean)
                entry.kill_switch.reset();
        }
        if (!clean)
            continue;  // keep the entry so the next start tries again
        if (entry.kill_switch) {
            // Only the (deliberately kept) kill switch remains to be accounted for.
            JournalEntry kept;
            kept.tunnel_id = entry.tunnel_id;
            kept.ifname = entry.ifname;
            kept.network.tunnel_id = entry.tunnel_id;
            kept.network.ifname = entry.ifname;
            kept.kill_switch = entry.kill_switch;
            note(journal.write(kept));
            report.kept_kill_switch.push_back(entry.tunnel_id);
        } else {
            note(journal.erase(entry.tunnel_id));
        }
        report.recovered.push_back(entry.tunnel_id);
    }
    return report;
}

}  // namespace vpnse::platform
