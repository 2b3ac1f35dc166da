#pragma once
// The seam between the service (which decides WHICH tunnels run) and the tunnel engine (which RUNS one).
//
// The real factory, in daemon/tunnel/, wraps vpnse::Client plus a TUN device and the platform's route/DNS
// configuration. Tests and the integration daemon (vpnsed_test) plug in fakes. Contract for implementers:
//
//  * Threading: everything runs on the daemon's single asio::io_context thread. create(), connect(),
//    disconnect(), status() and the destructor are called there, and observer callbacks must be made there.
//  * Callbacks are asynchronous: connect() and disconnect() must not call the observer before returning
//    (post the first transition), so the service never re-enters itself.
//  * State reporting: every transition goes to TunnelObserver::on_state with the error that caused it
//    (ErrorCode::ok otherwise). A tunnel that gives up (auth failed, reconnect disabled, ...) ends in
//    `disconnected` with a non-ok error; one that will retry reports `reconnecting` with the error.
//    After disconnect() the handle ends in `disconnected` with ErrorCode::ok.
//  * Destruction tears the tunnel down synchronously (routes, DNS and TUN restored); no observer call is
//    made after the destructor returns. The service never destroys a handle from inside its own callback.
#include <memory>
#include <optional>
#include <string>

#include "vpnse/client.hpp"
#include "vpnse/error.hpp"
#include "vpnse/profile.hpp"

namespace vpnsed::service {

class TunnelObserver {
  public:
    virtual ~TunnelObserver() = default;
    virtual void on_state(vpnse::TunnelState state, const vpnse::Error& error) = 0;
};

// What `tunnels.status` shows about a running tunnel.
struct TunnelSnapshot {
    vpnse::TunnelState state = vpnse::TunnelState::disconnected;
    vpnse::Error last_error;
    std::optional<vpnse::TunnelNetwork> network;  // once configured
    vpnse::ClientStats stats;
};

class TunnelHandle {
  public:
    virtual ~TunnelHandle() = default;
    virtual void connect() = 0;     // start (or restart after disconnected); progress via the observer
    virtual void disconnect() = 0;  // clean close; ends in on_state(disconnected, ok)
    virtual TunnelSnapshot status() const = 0;
};

class TunnelFactory {
  public:
    virtual ~TunnelFactory() = default;
    // The observer outlives the handle. Never returns null; problems surface as state changes.
    virtual std::unique_ptr<TunnelHandle> create(const vpnse::Profile& profile, TunnelObserver& observer) = 0;
    // Whether the tunnel `name` left a kill switch on the host that no handle owns: one kept, fail-closed,
    // across a daemon crash. An explicit disconnect of that tunnel lifts it (a new handle's disconnect()).
    virtual bool kill_switch_kept(const std::string& name) const {
        (void)name;
        return false;
    }
};

}  // namespace vpnsed::service
