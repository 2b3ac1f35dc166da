#pragma once
// Kill switch as an nftables table "inet vpnse_<tunnel>", loaded with `nft -f -`. libnftables is
// not in our dependency set and the nft text format is nftables' stable interface; one `nft -f`
// run is one atomic transaction, so the host never sees a half-built ruleset.
#include <string>

#include "platform/kill_switch.hpp"
#include "vpnse/log.hpp"

namespace vpnse::platform {

// The whole nft script for `settings` (pure; unit tested). Replaces an existing table atomically.
Result<std::string> render_kill_switch_ruleset(const KillSwitchSettings& settings);
std::string kill_switch_table_name(const std::string& tunnel_id);

class NftKillSwitch final : public KillSwitch {
  public:
    explicit NftKillSwitch(std::string nft_binary = "nft", Logger log = {})
        : nft_(std::move(nft_binary)), log_(std::move(log)) {}
    KillSwitchRecord describe(const KillSwitchSettings& settings) const override;
    Status engage(const KillSwitchSettings& settings) override;
    Status release(const KillSwitchRecord& record) override;

  private:
    Status run_nft(const std::string& script) const;
    std::string nft_;
    Logger log_;
};

}  // namespace vpnse::platform
