#pragma once
// The daemon's service API: everything a client can do, typed, with the caller's identity, and
// authorized here once (calls.hpp). JSON-RPC over the Unix socket (rpc/), D-Bus and the Windows named
// pipe are thin adapters over it: framing and the mapping of their wire forms, nothing else.
// Runs on the daemon's io_context thread.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/caller.hpp"
#include "api/calls.hpp"
#include "protocol/schema.hpp"
#include "service/event_bus.hpp"
#include "service/log_buffer.hpp"
#include "service/tunnel_manager.hpp"
#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnsed::api {

struct ServiceContext {
    service::TunnelManager& tunnels;
    service::EventBus& bus;
    service::LogBuffer* logs;  // null: logs() returns nothing
    std::string group;         // named in permission errors
    std::string version;       // the daemon's version
    vpnse::Logger logger;
};

// What a subscriber is told; a null member means the topic was not asked for.
struct EventSink {
    std::function<void(const protocol::StateChange&)> on_state;
    std::function<void(const std::vector<protocol::TunnelStatus>&)> on_stats;  // tunnels with a session
    std::function<void(const protocol::LogLine&)> on_log;
};

template <class T>
using Done = std::function<void(vpnse::Result<T>)>;

class ServiceApi {
  public:
    explicit ServiceApi(ServiceContext context);

    vpnse::Result<protocol::VersionInfo> version(const Caller& caller) const;
    vpnse::Result<protocol::ProfileList> list_profiles(const Caller& caller) const;
    vpnse::Result<protocol::ProfileView> get_profile(const Caller& caller, const std::string& name) const;
    vpnse::Result<protocol::ReloadResult> reload_profiles(const Caller& caller);
    // `done` gets the tunnel's status once started (or, with wait, established); it may run before
    // connect() returns.
    void connect(const Caller& caller, const protocol::ConnectParams& params,
                 Done<protocol::TunnelStatus> done);
    // The names that were disconnected.
    vpnse::Result<std::vector<std::string>> disconnect(const Caller& caller,
                                                       const protocol::DisconnectParams& params);
    // One tunnel, or every profile's when `name` is empty.
    vpnse::Result<std::vector<protocol::TunnelStatus>> status(const Caller& caller,
                                                              const std::optional<std::string>& name) const;
    // Profiles with a tunnel running (or not disconnected).
    vpnse::Result<std::vector<protocol::ProfileSummary>> list_tunnels(const Caller& caller) const;
    vpnse::Result<std::vector<protocol::LogLine>> logs(const Caller& caller, std::uint32_t lines) const;
    // Events until the subscription is dropped.
    vpnse::Result<service::EventBus::Subscription> subscribe(const Caller& caller,
                                                             const std::vector<protocol::Topic>& topics,
                                                             EventSink sink);

  private:
    vpnse::Status authorize(const Caller& caller, Call call) const;

    ServiceContext context_;
};

}  // namespace vpnsed::api
