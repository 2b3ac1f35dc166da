#pragma once
// api::Authority over polkit's CheckAuthorization on the system bus: the actions of org.vpnse.policy,
// asked for the D-Bus sender (system-bus-name) or, for socket callers, the process (unix-process).
// Without polkitd on the bus every answer is "no", so the group rule alone decides (logged once).
#include <memory>

#include "api/authority.hpp"
#include "dbus/bus.hpp"
#include "vpnse/log.hpp"

namespace sdbus {
class IProxy;
}

namespace vpnsed::dbus {

class PolkitAuthority : public api::Authority {
  public:
    PolkitAuthority(Bus& bus, vpnse::Logger log);
    ~PolkitAuthority() override;

    void check(const api::Caller& caller, api::Action action,
               std::function<void(bool allowed)> done) override;

  private:
    Bus& bus_;
    vpnse::Logger log_;
    std::unique_ptr<sdbus::IProxy> proxy_;
    bool told_unavailable_ = false;
};

}  // namespace vpnsed::dbus
