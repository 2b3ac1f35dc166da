#pragma once
// The daemon's service API: everything a client can do, typed, with the caller's identity, and
// authorized here once (calls.hpp). JSON-RPC over the Unix socket (rpc/), D-Bus and the Windows named
// pipe are thin adapters over it: framing and the mapping of their wire forms, nothing else.
// Runs on the daemon's io_context thread.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/authority.hpp"
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
    Authority* authority = nullptr;  // null: the group rule alone decides
};

// What a subscriber is told; a null member means the topic was not asked for.
struct EventSink {
    std::function<void(const protocol::StateChange&)> on_state;
    std::function<void(const std::vector<protocol::TunnelStatus>&)> on_stats;  // tunnels with a session
    std::function<void(const protocol::LogLine&)> on_log;
    std::function<void(const protocol::ProfilesChange&)> on_profiles;
};

template <class T>
using Done = std::function<void(vpnse::Result<T>)>;

class ServiceApi {
  public:
    explicit ServiceApi(ServiceContext context);

    // Reading calls take the caller like every call (the table, not the signature, says who may), and
    // every caller may make them.

    vpnse::Result<protocol::VersionInfo> version(const Caller& caller) const;
    vpnse::Result<protocol::ProfileList> list_profiles(const Caller& caller) const;
    vpnse::Result<protocol::ProfileView> get_profile(const Caller& caller, const std::string& name) const;
    // The mutating calls answer through `done`, which may run before they return (a privileged caller)
    // or later (a caller the policy is asked about).
    void reload_profiles(const Caller& caller, Done<protocol::ReloadResult> done);
    // Writes the profile (service/profile_import.hpp) and reloads.
    void import_profile(const Caller& caller, const protocol::ImportParams& params,
                        Done<protocol::ImportResult> done);
    // Deletes the profile's file (service/profile_remove.hpp) and reloads, which disconnects its tunnel.
    void remove_profile(const Caller& caller, const std::string& name, Done<protocol::RemoveResult> done);
    // `done` gets the tunnel's status once started (or, with wait, established).
    void connect(const Caller& caller, const protocol::ConnectParams& params,
                 Done<protocol::TunnelStatus> done);
    // `done` gets the names that were disconnected.
    void disconnect(const Caller& caller, const protocol::DisconnectParams& params,
                    Done<std::vector<std::string>> done);
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
    // Reading calls: anyone.
    vpnse::Status authorize_read(Call call) const;
    // Mutating calls: root or the group at once; otherwise the authority, if there is one.
    void authorize(const Caller& caller, Call call, std::function<void(vpnse::Status)> then);
    vpnse::Error refusal(const Caller& caller, Call call) const;

    ServiceContext context_;
};

}  // namespace vpnsed::api
