#pragma once
// DNS through a resolv.conf file, for hosts without systemd-resolved. The file is global, so the
// last tunnel applied wins. The original is backed up byte for byte and restored exactly.
#include <string>

#include "platform/dns_configurator.hpp"
#include "vpnse/log.hpp"

namespace vpnse::platform {

// The file we write: our servers (glibc reads at most 3) and search domains, plus the original's
// "options" lines. Routing-only domains cannot be expressed in resolv.conf and are dropped.
std::string render_resolv_conf(const DnsSettings& settings, std::string_view original);

// Replaces `path` with `content`: temp file + rename, or, when `path` is a bind-mounted file
// (rename fails with EBUSY) or on another filesystem, an in-place truncate and write.
Status replace_file_contents(const std::string& path, std::string_view content, unsigned mode);

// Puts the original back as described by `record` and deletes the backup (used by revert and by
// crash recovery).
Status restore_resolv_conf(const DnsRecord& record);

class ResolvConfDnsConfigurator final : public DnsConfigurator {
  public:
    ResolvConfDnsConfigurator(std::string path, std::string backup_path, Logger log = {})
        : path_(std::move(path)), backup_path_(std::move(backup_path)), log_(std::move(log)) {}
    ~ResolvConfDnsConfigurator() override = default;

    std::string backend() const override { return "resolv.conf"; }
    DnsRecord describe(const DnsSettings& settings) const override;
    Status apply(const DnsSettings& settings) override;
    Status revert() override;
    std::string watched_file() const override { return applied_ ? path_ : std::string(); }
    Result<bool> reassert() override;

  private:
    std::string path_;
    std::string backup_path_;
    Logger log_;
    bool applied_ = false;
    DnsRecord record_;
    std::string written_;  // what apply() put into path_
};

}  // namespace vpnse::platform
