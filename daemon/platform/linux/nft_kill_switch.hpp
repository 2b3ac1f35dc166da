#pragma once
// Kill switch as an nftables table "inet vpnse_<tunnel>", loaded in-process through libnftables
// (the library the nft program is built on). The nft text format is nftables' stable interface;
// one nft_run_cmd_from_buffer call is one atomic transaction, so the host never sees a half-built
// ruleset.
#include <string>

#include "platform/kill_switch.hpp"
#include "vpnse/log.hpp"

namespace vpnse::platform {

// The whole nft script for `settings` (pure; unit tested). Replaces an existing table atomically.
Result<std::string> render_kill_switch_ruleset(const KillSwitchSettings& settings);
std::string kill_switch_table_name(const std::string& tunnel_id);

// Loads an nft script in one libnftables run: all of it or, on error, none of it. A rejected
// script gives io_error (permission_denied without CAP_NET_ADMIN) whose message quotes the
// failing line of `ruleset` when libnftables locates one.
Status load_nft_ruleset(const std::string& ruleset);

class NftKillSwitch final : public KillSwitch {
  public:
    explicit NftKillSwitch(Logger log = {}) : log_(std::move(log)) {}
    KillSwitchRecord describe(const KillSwitchSettings& settings) const override;
    Status engage(const KillSwitchSettings& settings) override;
    Status release(const KillSwitchRecord& record) override;

  private:
    Logger log_;
};

}  // namespace vpnse::platform
