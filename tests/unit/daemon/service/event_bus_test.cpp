#include "service/event_bus.hpp"

#include <catch2/catch.hpp>

using namespace vpnsed::service;

TEST_CASE("events reach subscribers of their topic only") {
    EventBus bus;
    int states = 0, logs = 0;
    auto a = bus.subscribe({.on_state = [&](const StateEvent&) { ++states; }});
    auto b = bus.subscribe({.on_log = [&](const LogEntry&) { ++logs; }});
    CHECK_FALSE(bus.has_stats_subscribers());
    bus.publish(StateEvent{"x", vpnse::TunnelState::connecting, {}, 0});
    bus.publish(LogEntry{});
    CHECK(states == 1);
    CHECK(logs == 1);
    a.reset();
    bus.publish(StateEvent{"x", vpnse::TunnelState::connecting, {}, 0});
    CHECK(states == 1);
}

TEST_CASE("a subscriber may unsubscribe another one during delivery") {
    EventBus bus;
    EventBus::Subscription second;
    int calls = 0;
    auto first = bus.subscribe({.on_state = [&](const StateEvent&) {
        ++calls;
        second.reset();
    }});
    second = bus.subscribe({.on_state = [&](const StateEvent&) { ++calls; }});
    bus.publish(StateEvent{});
    CHECK(calls == 1);
}

TEST_CASE("subscriptions may outlive the bus") {
    EventBus::Subscription survivor;
    {
        EventBus bus;
        survivor = bus.subscribe({});
    }
    survivor.reset();
    SUCCEED();
}
