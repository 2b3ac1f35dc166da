#pragma once
// What a method handler may do with the client that called it.
#include <nlohmann/json.hpp>

#include "rpc/peer_credentials.hpp"
#include "service/event_bus.hpp"

namespace vpnsed::rpc {

class Peer {
  public:
    virtual ~Peer() = default;
    virtual const Caller& caller() const = 0;
    // Queues a notification line.
    virtual void notify(const nlohmann::json& notification) = 0;
    // Makes this client a monitor: it keeps the subscription until it disconnects and is exempt from the
    // idle timeout. A second subscribe replaces the first.
    virtual void keep_subscription(service::EventBus::Subscription subscription) = 0;
};

}  // namespace vpnsed::rpc
