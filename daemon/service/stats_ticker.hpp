#pragma once
// Publishes a StatsTick every interval while anyone is subscribed to stats, so idle daemons do no work.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>

#include "service/event_bus.hpp"

namespace vpnsed::service {

class StatsTicker {
  public:
    StatsTicker(asio::io_context& io, EventBus& bus, std::chrono::milliseconds interval);
    void start();
    void stop() { timer_.cancel(); }

  private:
    void arm();
    asio::steady_timer timer_;
    EventBus& bus_;
    std::chrono::milliseconds interval_;
};

}  // namespace vpnsed::service
