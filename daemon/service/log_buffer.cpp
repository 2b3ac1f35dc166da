#include "service/log_buffer.hpp"

#include <asio/post.hpp>
#include <chrono>

namespace vpnsed::service {

LogBuffer::LogBuffer(asio::io_context& io, std::size_t capacity, std::shared_ptr<const vpnse::LogSink> output)
    : io_(io), capacity_(capacity), output_(std::move(output)) {}

std::shared_ptr<const vpnse::LogSink> LogBuffer::sink() {
    std::weak_ptr<LogBuffer> weak = shared_from_this();
    return std::make_shared<const vpnse::LogSink>([weak](const vpnse::LogRecord& record) {
        if (auto self = weak.lock())
            self->record(record);
    });
}

void LogBuffer::record(const vpnse::LogRecord& record) {
    if (output_ && *output_)
        (*output_)(record);
    LogEntry entry;
    entry.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    entry.level = record.level;
    entry.component = std::string(record.component);
    entry.message = std::string(record.message);
    entry.fields = record.fields;
    {
        std::lock_guard lock(mutex_);
        if (capacity_ > 0) {
            lines_.push_back(entry);
            while (lines_.size() > capacity_)
                lines_.pop_front();
        }
    }
    std::weak_ptr<LogBuffer> weak = weak_from_this();
    asio::post(io_, [weak, entry = std::move(entry)] {
        if (auto self = weak.lock(); self && self->bus_)
            self->bus_->publish(entry);
    });
}

std::vector<LogEntry> LogBuffer::recent(std::size_t count) const {
    std::lock_guard lock(mutex_);
    const auto first = lines_.size() > count ? lines_.size() - count : 0;
    return {lines_.begin() + static_cast<std::ptrdiff_t>(first), lines_.end()};
}

}  // namespace vpnsed::service
