#pragma once
// The kill switch on Windows is not built yet (it needs Windows Filtering Platform filters). A profile
// that asks for one fails to connect with this error instead of running without the protection it
// asked for (fail closed).
#include "platform/kill_switch.hpp"

namespace vpnse::platform::windows {

class NoKillSwitch final : public KillSwitch {
  public:
    KillSwitchRecord describe(const KillSwitchSettings& settings) const override {
        return KillSwitchRecord{"wfp " + settings.tunnel_id};
    }
    Status engage(const KillSwitchSettings&) override {
        return Error(
            ErrorCode::not_supported,
            "the kill switch is not available on Windows yet; set kill_switch = false in the profile");
    }
    Status release(const KillSwitchRecord&) override { return {}; }
};

}  // namespace vpnse::platform::windows
