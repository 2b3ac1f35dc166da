// events.subscribe and the notifications it starts: event.state, event.stats, event.log
#include "protocol/messages.hpp"
#include "protocol/methods.hpp"
#include "rpc/dispatcher.hpp"
#include "rpc/status_view.hpp"

namespace vpnsed::rpc {

using nlohmann::json;
namespace method = protocol::method;

void add_event_methods(MethodTable& table, DispatchContext& context) {
    table[std::string(method::kEventsSubscribe)] = {[&context](const protocol::Request& request, Peer& peer,
                                                               const Responder& respond) {
        auto params = protocol::parse_subscribe_params(request.params);
        if (!params)
            return respond.invalid_params(params.error());
        service::EventHandlers handlers;
        json topics = json::array();
        // The subscription is owned by the peer, so the handlers never outlive `peer`.
        Peer* target = &peer;
        for (auto topic : params->topics) {
            topics.push_back(protocol::topic_name(topic));
            switch (topic) {
                case protocol::Topic::state:
                    handlers.on_state = [target](const service::StateEvent& event) {
                        target->notify(protocol::make_notification(
                            method::kEventState,
                            {{"name", event.name},
                             {"state", protocol::state_to_wire(event.state)},
                             {"last_error",
                              event.error ? protocol::error_object(event.error) : json(nullptr)},
                             {"since", event.since}}));
                    };
                    break;
                case protocol::Topic::stats:
                    handlers.on_stats = [target, &context](const service::StatsTick&) {
                        json tunnels = json::array();
                        for (const auto& report : context.tunnels.reports())
                            if (report.snapshot)
                                tunnels.push_back(to_status(report));
                        if (!tunnels.empty())
                            target->notify(protocol::make_notification(method::kEventStats,
                                                                       {{"tunnels", std::move(tunnels)}}));
                    };
                    break;
                case protocol::Topic::log:
                    handlers.on_log = [target](const service::LogEntry& entry) {
                        target->notify(protocol::make_notification(method::kEventLog, to_log_line(entry)));
                    };
                    break;
            }
        }
        // Answer first so the client sees the result before the first notification.
        respond.result({{"topics", topics}});
        peer.keep_subscription(context.bus.subscribe(std::move(handlers)));
    }};
}

}  // namespace vpnsed::rpc
