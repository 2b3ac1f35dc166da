#pragma once
// A second way to be allowed a mutating call besides the group rule: the system's authorization policy
// (polkit on Linux). The service API asks it only for callers the group rule refuses, so a member of the
// service group never waits on it and works without it.
#include <functional>
#include <string_view>

#include "api/caller.hpp"

namespace vpnsed::api {

// What a mutating call asks the policy for; the ids are the actions of dbus/org.vpnse.policy.
enum class Action { none, connect, manage_profiles };

constexpr std::string_view action_id(Action action) {
    switch (action) {
        case Action::connect:
            return "org.vpnse.connect";
        case Action::manage_profiles:
            return "org.vpnse.manage-profiles";
        case Action::none:
            break;
    }
    return {};
}

class Authority {
  public:
    virtual ~Authority() = default;
    // Calls `done` once, on the daemon's io thread, possibly after an interactive authentication. Any
    // failure to ask (no policy service, a broken reply) is `false`.
    virtual void check(const Caller& caller, Action action, std::function<void(bool allowed)> done) = 0;
};

}  // namespace vpnsed::api
