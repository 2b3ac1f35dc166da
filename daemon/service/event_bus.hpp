#pragma once
// Fan-out of daemon events to subscribers (control-socket monitors, the D-Bus objects). Single-threaded:
// publish and subscribe run on the io_context thread. A subscriber may unsubscribe (or subscribe others) from
// inside its callback; the bus iterates over a snapshot.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "vpnse/error.hpp"
#include "vpnse/log.hpp"
#include "vpnse/tunnel_state.hpp"

namespace vpnsed::service {

struct StateEvent {
    std::string name;
    vpnse::TunnelState state;
    vpnse::Error error;
    std::int64_t since = 0;  // Unix seconds
};

struct LogEntry {
    std::int64_t time_ms = 0;  // Unix milliseconds
    vpnse::LogLevel level = vpnse::LogLevel::info;
    std::string component;
    std::string message;
    std::vector<vpnse::LogField> fields;
};

// The profile set changed (a reload by a client or SIGHUP); only reloads that changed something.
struct ProfilesEvent {
    std::vector<std::string> added, removed, changed;
};

struct StatsTick {};  // "report stats now"; subscribers fetch the statuses they render

struct EventHandlers {
    std::function<void(const StateEvent&)> on_state{};  // null: not subscribed to the topic
    std::function<void(const StatsTick&)> on_stats{};
    std::function<void(const LogEntry&)> on_log{};
    std::function<void(const ProfilesEvent&)> on_profiles{};
};

class EventBus {
  public:
    class Subscription {
      public:
        Subscription() = default;
        Subscription(Subscription&&) noexcept = default;
        Subscription& operator=(Subscription&&) noexcept = default;
        ~Subscription() { reset(); }
        void reset();

      private:
        friend class EventBus;
        Subscription(std::weak_ptr<EventBus*> bus, std::uint64_t id) : bus_(std::move(bus)), id_(id) {}
        std::weak_ptr<EventBus*> bus_;
        std::uint64_t id_ = 0;
    };

    EventBus() : self_(std::make_shared<EventBus*>(this)) {}
    EventBus(const EventBus&) = delete;
    EventBus& operator=(const EventBus&) = delete;

    [[nodiscard]] Subscription subscribe(EventHandlers handlers);
    void publish(const StateEvent& event);
    void publish(const StatsTick& event);
    void publish(const LogEntry& event);
    void publish(const ProfilesEvent& event);
    bool has_stats_subscribers() const;

  private:
    void unsubscribe(std::uint64_t id) { subscribers_.erase(id); }
    template <class Event, class Member>
    void fan_out(const Event& event, Member member);

    std::map<std::uint64_t, std::shared_ptr<EventHandlers>> subscribers_;
    std::uint64_t next_id_ = 1;
    std::shared_ptr<EventBus*> self_;  // lets Subscriptions outliving the bus do nothing
};

}  // namespace vpnsed::service
