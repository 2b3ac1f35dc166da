#pragma once
// The daemon's log hub: a LogSink that keeps the last N lines for `daemon.logs`, forwards every record to
// the real output (stderr/journal), and hands lines to the EventBus for `event.log` monitors.
// The sink may be called from any thread; event delivery is posted to the io_context so subscribers run
// on the daemon thread.
#include <asio/io_context.hpp>

#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "service/event_bus.hpp"
#include "vpnse/log.hpp"

namespace vpnsed::service {

class LogBuffer : public std::enable_shared_from_this<LogBuffer> {
  public:
    LogBuffer(asio::io_context& io, std::size_t capacity, std::shared_ptr<const vpnse::LogSink> output);

    // Sink to hand to Loggers. Holds only a weak reference, so it may outlive the buffer.
    std::shared_ptr<const vpnse::LogSink> sink();
    void set_bus(EventBus* bus) { bus_ = bus; }  // io thread only
    std::vector<LogEntry> recent(std::size_t count) const;

  private:
    void record(const vpnse::LogRecord& record);

    asio::io_context& io_;
    std::size_t capacity_;
    std::shared_ptr<const vpnse::LogSink> output_;
    EventBus* bus_ = nullptr;
    mutable std::mutex mutex_;
    std::deque<LogEntry> lines_;
};

}  // namespace vpnsed::service
