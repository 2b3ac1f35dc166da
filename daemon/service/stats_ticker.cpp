#include "service/stats_ticker.hpp"

namespace vpnsed::service {

StatsTicker::StatsTicker(asio::io_context& io, EventBus& bus, std::chrono::milliseconds interval)
    : timer_(io), bus_(bus), interval_(interval) {}

void StatsTicker::start() {
    arm();
}

void StatsTicker::arm() {
    timer_.expires_after(interval_);
    timer_.async_wait([this](const std::error_code& ec) {
        if (ec)
            return;
        if (bus_.has_stats_subscribers())
            bus_.publish(StatsTick{});
        arm();
    });
}

}  // namespace vpnsed::service
