#pragma once
// Runs an sd-bus connection on the daemon's io_context: waits on the bus fd and sd-bus's timeout with
// Asio, and lets sd-bus dispatch when either fires. Everything D-Bus (method handlers, replies to our own
// calls) then runs on the io thread like the rest of the daemon, with no lock and no second thread.
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <memory>

#include "vpnse/log.hpp"

namespace sdbus {
class IConnection;
}

namespace vpnsed::dbus {

class BusLoop {
  public:
    BusLoop(asio::io_context& io, sdbus::IConnection& connection, vpnse::Logger log);
    ~BusLoop();
    BusLoop(const BusLoop&) = delete;
    BusLoop& operator=(const BusLoop&) = delete;

    void start();
    // After sending outside a dispatch (a late reply, a signal): sd-bus may have queued the message
    // behind a full socket, so dispatch again and wait for what it now needs.
    void wake();
    // A failed connection stops the loop (logged once); D-Bus is then off until vpnsed restarts.
    bool running() const { return !failed_; }
    // Expires when the loop is destroyed; what completes later checks it first.
    std::weak_ptr<bool> lifetime() const { return alive_; }

  private:
    void dispatch();
    void wait();

    asio::io_context& io_;
    sdbus::IConnection& connection_;
    vpnse::Logger log_;
    asio::posix::stream_descriptor fd_;  // sd-bus owns the fd: released, never closed, here
    asio::steady_timer timer_;
    bool reading_ = false, writing_ = false, failed_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vpnsed::dbus
