#include "dbus/bus_loop.hpp"

#include <poll.h>

#include <sdbus-c++/sdbus-c++.h>
#include <asio/post.hpp>
#include <chrono>
#include <limits>

namespace vpnsed::dbus {

BusLoop::BusLoop(asio::io_context& io, sdbus::IConnection& connection, vpnse::Logger log)
    : io_(io), connection_(connection), log_(std::move(log)), fd_(io), timer_(io) {}

BusLoop::~BusLoop() {
    *alive_ = false;
    std::error_code ignored;
    timer_.cancel();
    if (fd_.is_open()) {
        fd_.cancel(ignored);
        (void)fd_.release();
    }
}

void BusLoop::start() {
    try {
        fd_.assign(connection_.getEventLoopPollData().fd);
    } catch (const std::exception& e) {
        failed_ = true;
        log_.error("D-Bus connection unusable", {{"error", e.what()}});
        return;
    }
    dispatch();
}

void BusLoop::wake() {
    asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.lock() && !failed_)
            dispatch();
    });
}

void BusLoop::dispatch() {
    try {
        while (connection_.processPendingRequest()) {
        }
    } catch (const sdbus::Error& e) {
        failed_ = true;
        log_.error("D-Bus connection lost; the D-Bus API is off until vpnsed restarts",
                   {{"error", e.getMessage()}});
        return;
    }
    wait();
}

void BusLoop::wait() {
    const auto poll = connection_.getEventLoopPollData();
    std::weak_ptr<bool> alive = alive_;
    if (!reading_) {
        reading_ = true;
        fd_.async_wait(asio::posix::stream_descriptor::wait_read, [this, alive](const std::error_code& ec) {
            if (!alive.lock())
                return;
            reading_ = false;
            if (!ec && !failed_)
                dispatch();
        });
    }
    if ((poll.events & POLLOUT) && !writing_) {
        writing_ = true;
        fd_.async_wait(asio::posix::stream_descriptor::wait_write, [this, alive](const std::error_code& ec) {
            if (!alive.lock())
                return;
            writing_ = false;
            if (!ec && !failed_)
                dispatch();
        });
    }
    if (poll.timeout_usec == std::numeric_limits<std::uint64_t>::max()) {
        timer_.cancel();
        return;
    }
    // sd-bus gives an absolute CLOCK_MONOTONIC time, which is steady_clock's clock on Linux.
    timer_.expires_at(std::chrono::steady_clock::time_point(std::chrono::microseconds(poll.timeout_usec)));
    timer_.async_wait([this, alive](const std::error_code& ec) {
        if (!alive.lock() || ec || failed_)
            return;
        dispatch();
    });
}

}  // namespace vpnsed::dbus
