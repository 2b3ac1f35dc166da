#include "service/event_bus.hpp"

namespace vpnsed::service {

void EventBus::Subscription::reset() {
    if (auto bus = bus_.lock())
        (*bus)->unsubscribe(id_);
    bus_.reset();
}

EventBus::Subscription EventBus::subscribe(EventHandlers handlers) {
    const auto id = next_id_++;
    subscribers_.emplace(id, std::make_shared<EventHandlers>(std::move(handlers)));
    return Subscription(self_, id);
}

template <class Event, class Member>
void EventBus::fan_out(const Event& event, Member member) {
    // Snapshot: callbacks may unsubscribe themselves or others (a monitor's connection closing).
    std::vector<std::pair<std::uint64_t, std::shared_ptr<EventHandlers>>> snapshot(subscribers_.begin(),
                                                                                   subscribers_.end());
    for (const auto& [id, handlers] : snapshot) {
        if (subscribers_.find(id) == subscribers_.end())
            continue;
        if (const auto& callback = (*handlers).*member)
            callback(event);
    }
}

void EventBus::publish(const StateEvent& event) {
    fan_out(event, &EventHandlers::on_state);
}
void EventBus::publish(const StatsTick& event) {
    fan_out(event, &EventHandlers::on_stats);
}
void EventBus::publish(const LogEntry& event) {
    fan_out(event, &EventHandlers::on_log);
}
void EventBus::publish(const ProfilesEvent& event) {
    fan_out(event, &EventHandlers::on_profiles);
}

bool EventBus::has_stats_subscribers() const {
    for (const auto& [id, handlers] : subscribers_)
        if (handlers->on_stats)
            return true;
    return false;
}

}  // namespace vpnsed::service
