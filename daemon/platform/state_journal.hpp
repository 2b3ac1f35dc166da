#pragma once
// Crash journal: one JSON file per tunnel under the state directory (default /run/vpnse/state, a tmpfs,
// so a reboot clears it together with what it describes). Written before the host is changed and
// removed after a clean teardown; whatever is left at start-up belongs to a daemon that died.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "platform/dns_configurator.hpp"
#include "platform/kill_switch.hpp"
#include "platform/network_configurator.hpp"
#include "vpnse/result.hpp"

namespace vpnse::platform {

inline constexpr const char* kDefaultStateDir = "/run/vpnse/state";

struct JournalEntry {
    std::string tunnel_id;
    std::string ifname;
    NetworkPlan network;
    std::optional<DnsRecord> dns;
    std::optional<KillSwitchRecord> kill_switch;
    friend bool operator==(const JournalEntry&, const JournalEntry&) = default;
};

std::string journal_to_json(const JournalEntry& entry);
Result<JournalEntry> journal_from_json(std::string_view text);

class StateJournal {
  public:
    explicit StateJournal(std::filesystem::path dir = kDefaultStateDir) : dir_(std::move(dir)) {}
    const std::filesystem::path& dir() const noexcept { return dir_; }

    // Atomic: a temp file in the same directory, fsync, rename. Creates the directory (0700).
    Status write(const JournalEntry& entry);
    Result<std::vector<JournalEntry>> load_all() const;
    // Removing an absent entry is not an error.
    Status erase(const std::string& tunnel_id);

  private:
    std::filesystem::path path_for(const std::string& tunnel_id) const;
    std::filesystem::path dir_;
};

// Tunnel ids become file and nft table names: [A-Za-z0-9_-], 1..32 characters.
bool is_valid_tunnel_id(std::string_view id) noexcept;

}  // namespace vpnse::platform
