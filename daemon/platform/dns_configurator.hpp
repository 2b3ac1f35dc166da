#pragma once
// DNS for one tunnel link. Backends: systemd-resolved (per-link, several tunnels at once) or a
// resolv.conf file (global: the last tunnel applied wins). One instance per tunnel.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/ip.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform {

struct DnsSettings {
    std::string ifname;
    int ifindex = 0;
    std::vector<IpAddress> servers;
    // Used for lookups of unqualified names and routed to this link ("corp.example").
    std::vector<std::string> search_domains;
    // Only route queries for these names to this link ("~corp.example"); "." routes everything.
    std::vector<std::string> routing_domains;
    // resolved: use this link for names no other link's domain matches (full tunnel).
    bool default_route = false;
};

// What a backend changed, journalled before apply so a crashed daemon can undo it.
struct DnsRecord {
    std::string backend;      // "resolved" or "resolv.conf"
    int ifindex = 0;          // resolved
    std::string path;         // resolv.conf: the file we rewrite
    std::string backup_path;  // resolv.conf: the original's exact bytes
    // resolv.conf: the original was a symlink to this target (restored as a symlink).
    std::optional<std::string> symlink_target;
    // resolv.conf: the original did not exist (restore = delete).
    bool original_missing = false;
    friend bool operator==(const DnsRecord&, const DnsRecord&) = default;
};

class DnsConfigurator {
  public:
    virtual ~DnsConfigurator() = default;
    virtual std::string backend() const = 0;
    // What apply(settings) will change; journal it first.
    virtual DnsRecord describe(const DnsSettings& settings) const = 0;
    // Errors: permission_denied, io_error, not_found (backend gone), invalid_argument.
    virtual Status apply(const DnsSettings& settings) = 0;
    // Undoes apply(); a no-op when nothing is applied.
    virtual Status revert() = 0;
    // The file another program may overwrite while applied (resolv.conf); empty: none.
    virtual std::string watched_file() const { return {}; }
    // Writes the applied settings again if the file no longer holds them; returns whether it did.
    virtual Result<bool> reassert() { return false; }
};

}  // namespace vpnse::platform
