#include "dbus/polkit_authority.hpp"

#include <sdbus-c++/sdbus-c++.h>
#include <chrono>
#include <map>

namespace vpnsed::dbus {
namespace {

const std::string kPolkitService = "org.freedesktop.PolicyKit1";
const std::string kPolkitPath = "/org/freedesktop/PolicyKit1/Authority";
const std::string kPolkitInterface = "org.freedesktop.PolicyKit1.Authority";
constexpr std::uint32_t kAllowUserInteraction = 1;
// An authentication dialog waits for a person.
constexpr auto kInteractiveTimeout = std::chrono::minutes(2);

using Subject = sdbus::Struct<std::string, std::map<std::string, sdbus::Variant>>;

Subject subject_of(const api::Caller& caller) {
    if (!caller.bus_name.empty())
        return Subject("system-bus-name", {{"name", sdbus::Variant(caller.bus_name)}});
    // start-time 0: polkitd reads it from /proc, which ties the answer to this very process.
    return Subject("unix-process", {{"pid", sdbus::Variant(static_cast<std::uint32_t>(caller.pid))},
                                    {"start-time", sdbus::Variant(std::uint64_t{0})},
                                    {"uid", sdbus::Variant(static_cast<std::int32_t>(caller.uid))}});
}

}  // namespace

PolkitAuthority::PolkitAuthority(Bus& bus, vpnse::Logger log)
    : bus_(bus),
      log_(std::move(log)),
      proxy_(sdbus::createProxy(*bus.connection, kPolkitService, kPolkitPath)) {}

PolkitAuthority::~PolkitAuthority() = default;

void PolkitAuthority::check(const api::Caller& caller, api::Action action, std::function<void(bool)> done) {
    // Desktop callers (D-Bus) may get an authentication dialog from their session's agent; a socket
    // client is a terminal program, answered at once.
    const std::uint32_t flags = caller.origin == api::Origin::dbus ? kAllowUserInteraction : 0;
    const std::string action_name(api::action_id(action));
    try {
        proxy_->callMethodAsync("CheckAuthorization")
            .onInterface(kPolkitInterface)
            .withTimeout(kInteractiveTimeout)
            .withArguments(subject_of(caller), action_name, std::map<std::string, std::string>{}, flags,
                           std::string())
            .uponReplyInvoke(
                [this, done, action_name, alive = bus_.loop->lifetime()](
                    const sdbus::Error* error,
                    const sdbus::Struct<bool, bool, std::map<std::string, std::string>>& result) {
                    if (!alive.lock())
                        return;
                    if (error) {
                        if (!told_unavailable_)
                            log_.info("polkit not available: the group rule alone decides",
                                      {{"error", error->getName() + ": " + error->getMessage()}});
                        told_unavailable_ = true;
                        return done(false);
                    }
                    log_.debug("polkit answered",
                               {{"action", action_name}, {"authorized", std::get<0>(result) ? "yes" : "no"}});
                    done(std::get<0>(result));
                });
        bus_.loop->wake();
    } catch (const sdbus::Error& e) {
        log_.warn("cannot ask polkit", {{"error", e.getMessage()}});
        done(false);
    }
}

}  // namespace vpnsed::dbus
