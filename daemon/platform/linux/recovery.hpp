#pragma once
// Start-up clean-up after a crash: undo what journalled tunnels left on the host.
#include <optional>
#include <set>
#include <string>

#include "platform/state_journal.hpp"
#include "vpnse/log.hpp"

namespace vpnse::platform {

struct RecoveryOptions {
    std::optional<std::string> bus_address;  // for resolved; empty = system bus
    // Kill switches are fail-closed: by default they survive recovery (and their journal entry
    // with them) until the tunnel reconnects or is explicitly disconnected.
    bool clear_kill_switch = false;
};

struct RecoveryReport {
    std::vector<std::string> recovered;  // tunnel ids cleaned up
    std::vector<std::string> kept_kill_switch;
    std::vector<std::string> errors;
};

// For every journal entry whose tunnel id is not in `running`: removes its rules, routes and
// addresses, deletes its TUN if one is left, reverts its DNS, optionally releases its kill switch,
// then erases (or trims to the kill switch) the entry. Best effort: errors are collected, not fatal.
RecoveryReport recover_stale(StateJournal& journal, const std::set<std::string>& running,
                             const RecoveryOptions& options = {}, Logger log = {});

}  // namespace vpnse::platform
