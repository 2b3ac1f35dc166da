// The JSON-RPC methods: each parses its params, makes one service API call and maps the answer to JSON.
// Nothing else belongs here (api/service_api.hpp decides what a call does and who may make it).
#include "protocol/methods.hpp"
#include "protocol/messages.hpp"
#include "rpc/dispatcher.hpp"

namespace vpnsed::rpc {

using nlohmann::json;
namespace method = protocol::method;

namespace {

// A result wrapped in one named member, e.g. {"tunnels": [...]}.
template <class T>
vpnse::Result<json> wrapped(const char* key, vpnse::Result<T> outcome) {
    if (!outcome)
        return outcome.error();
    return json{{key, *outcome}};
}

// Peer notifications for the topics a client subscribed to; the subscription is owned by the peer, so
// the sink never outlives it.
api::EventSink notifications_to(Peer& peer) {
    Peer* target = &peer;
    return api::EventSink{
        [target](const protocol::StateChange& change) {
            target->notify(protocol::make_notification(method::kEventState, change));
        },
        [target](const std::vector<protocol::TunnelStatus>& tunnels) {
            target->notify(protocol::make_notification(method::kEventStats, {{"tunnels", tunnels}}));
        },
        [target](const protocol::LogLine& line) {
            target->notify(protocol::make_notification(method::kEventLog, line));
        },
        [target](const protocol::ProfilesChange& change) {
            target->notify(protocol::make_notification(method::kEventProfiles, change));
        },
    };
}

}  // namespace

MethodTable json_rpc_methods(api::ServiceApi& api) {
    MethodTable table;
    table[std::string(method::kVersion)] = [&api](const protocol::Request& request, Peer& peer,
                                                  const Responder& respond) {
        if (auto status = protocol::parse_no_params(request.params); !status)
            return respond.invalid_params(status.error());
        respond.answer(api.version(peer.caller()));
    };
    table[std::string(method::kDaemonLogs)] = [&api](const protocol::Request& request, Peer& peer,
                                                     const Responder& respond) {
        auto params = protocol::parse_logs_params(request.params);
        if (!params)
            return respond.invalid_params(params.error());
        respond.answer(wrapped("lines", api.logs(peer.caller(), params->lines)));
    };
    table[std::string(method::kProfilesList)] = [&api](const protocol::Request& request, Peer& peer,
                                                       const Responder& respond) {
        if (auto status = protocol::parse_no_params(request.params); !status)
            return respond.invalid_params(status.error());
        respond.answer(api.list_profiles(peer.caller()));
    };
    table[std::string(method::kProfilesGet)] = [&api](const protocol::Request& request, Peer& peer,
                                                      const Responder& respond) {
        auto params = protocol::parse_name_params(request.params, true);
        if (!params)
            return respond.invalid_params(params.error());
        auto profile = api.get_profile(peer.caller(), *params->name);
        if (!profile)
            return respond.error(profile.error());
        respond.result({{"profile", protocol::profile_to_json(*profile)}});
    };
    table[std::string(method::kProfilesReload)] = [&api](const protocol::Request& request, Peer& peer,
                                                         const Responder& respond) {
        if (auto status = protocol::parse_no_params(request.params); !status)
            return respond.invalid_params(status.error());
        api.reload_profiles(peer.caller(), [respond](vpnse::Result<protocol::ReloadResult> result) {
            respond.answer(result);
        });
    };
    table[std::string(method::kProfilesImport)] = [&api](const protocol::Request& request, Peer& peer,
                                                         const Responder& respond) {
        auto params = protocol::parse_import_params(request.params);
        if (!params)
            return respond.invalid_params(params.error());
        api.import_profile(peer.caller(), *params, [respond](vpnse::Result<protocol::ImportResult> result) {
            respond.answer(result);
        });
    };
    table[std::string(method::kProfilesRemove)] = [&api](const protocol::Request& request, Peer& peer,
                                                         const Responder& respond) {
        auto params = protocol::parse_name_params(request.params, true);
        if (!params)
            return respond.invalid_params(params.error());
        api.remove_profile(
            peer.caller(), *params->name,
            [respond](vpnse::Result<protocol::RemoveResult> result) { respond.answer(result); });
    };
    table[std::string(method::kTunnelsConnect)] = [&api](const protocol::Request& request, Peer& peer,
                                                         const Responder& respond) {
        auto params = protocol::parse_connect_params(request.params);
        if (!params)
            return respond.invalid_params(params.error());
        api.connect(peer.caller(), *params, [respond](vpnse::Result<protocol::TunnelStatus> tunnel) {
            respond.answer(wrapped("tunnel", std::move(tunnel)));
        });
    };
    table[std::string(method::kTunnelsDisconnect)] = [&api](const protocol::Request& request, Peer& peer,
                                                            const Responder& respond) {
        auto params = protocol::parse_disconnect_params(request.params);
        if (!params)
            return respond.invalid_params(params.error());
        api.disconnect(peer.caller(), *params, [respond](vpnse::Result<std::vector<std::string>> names) {
            respond.answer(wrapped("disconnected", std::move(names)));
        });
    };
    table[std::string(method::kTunnelsStatus)] = [&api](const protocol::Request& request, Peer& peer,
                                                        const Responder& respond) {
        auto params = protocol::parse_name_params(request.params, false);
        if (!params)
            return respond.invalid_params(params.error());
        respond.answer(wrapped("tunnels", api.status(peer.caller(), params->name)));
    };
    table[std::string(method::kTunnelsList)] = [&api](const protocol::Request& request, Peer& peer,
                                                      const Responder& respond) {
        if (auto status = protocol::parse_no_params(request.params); !status)
            return respond.invalid_params(status.error());
        respond.answer(wrapped("tunnels", api.list_tunnels(peer.caller())));
    };
    table[std::string(method::kEventsSubscribe)] = [&api](const protocol::Request& request, Peer& peer,
                                                          const Responder& respond) {
        auto params = protocol::parse_subscribe_params(request.params);
        if (!params)
            return respond.invalid_params(params.error());
        auto subscription = api.subscribe(peer.caller(), params->topics, notifications_to(peer));
        if (!subscription)
            return respond.error(subscription.error());
        json topics = json::array();
        for (auto topic : params->topics)
            topics.push_back(protocol::topic_name(topic));
        // Answer first so the client sees the result before the first notification.
        respond.result({{"topics", std::move(topics)}});
        peer.keep_subscription(std::move(subscription).value());
    };
    return table;
}

}  // namespace vpnsed::rpc
