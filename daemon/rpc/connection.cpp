#include "rpc/connection.hpp"

#include "protocol/error_mapping.hpp"

namespace vpnsed::rpc {

using nlohmann::json;

Connection::Connection(std::unique_ptr<ControlStream> stream, Dispatcher& dispatcher, Caller caller,
                       std::chrono::seconds idle_timeout, std::function<void(Connection*)> on_closed)
    : stream_(std::move(stream)),
      dispatcher_(dispatcher),
      caller_(caller),
      idle_timeout_(idle_timeout),
      on_closed_(std::move(on_closed)),
      idle_timer_(stream_->executor()),
      last_input_(std::chrono::steady_clock::now()) {}

void Connection::start() {
    arm_idle_timer();
    read();
}

void Connection::arm_idle_timer() {
    idle_timer_.expires_at(last_input_ + idle_timeout_);
    idle_timer_.async_wait([weak = weak_from_this()](const std::error_code& ec) {
        auto self = weak.lock();
        if (ec || !self || self->closed_)
            return;
        const bool expired = std::chrono::steady_clock::now() >= self->last_input_ + self->idle_timeout_;
        // Monitors and clients waiting for an answer are quiet on purpose.
        if (expired && !self->monitor_ && self->in_flight_ == 0) {
            self->close();
            return;
        }
        if (expired)
            self->last_input_ = std::chrono::steady_clock::now();
        self->arm_idle_timer();
    });
}

void Connection::read() {
    stream_->read_some(asio::buffer(read_buffer_),
                       [self = shared_from_this()](const std::error_code& ec, std::size_t length) {
                           if (self->closed_)
                               return;
                           if (ec) {
                               // EOF: finish pending writes (a client may half-close after its last
                               // request).
                               if (self->queue_.empty() && self->in_flight_ == 0)
                                   self->close();
                               else
                                   self->close_after_write_ = true;
                               return;
                           }
                           self->last_input_ = std::chrono::steady_clock::now();
                           self->reader_.feed(std::string_view(self->read_buffer_.data(), length));
                           self->handle_lines();
                           if (!self->closed_ && !self->close_after_write_)
                               self->read();
                       });
}

void Connection::handle_lines() {
    while (auto line = reader_.next_line()) {
        if (line->find_first_not_of(" \t") == std::string::npos)
            continue;  // blank lines are keep-alives
        ++in_flight_;
        const bool answers = dispatcher_.dispatch(*line, *this, [weak = weak_from_this()](json response) {
            auto self = weak.lock();
            if (!self || self->closed_)
                return;
            --self->in_flight_;
            self->send(protocol::to_line(response));
        });
        if (!answers)
            --in_flight_;  // a notification is never answered
        if (closed_)
            return;
    }
    if (reader_.overflowed()) {
        send(protocol::to_line(protocol::make_error(
            nullptr, protocol::protocol_error(protocol::kInvalidRequest,
                                              "invalid request: line longer than 1048576 bytes; closing",
                                              vpnse::ErrorCode::limit_exceeded))));
        close_after_write_ = true;
    }
}

void Connection::notify(const json& notification) {
    send(protocol::to_line(notification));
}

void Connection::keep_subscription(service::EventBus::Subscription subscription) {
    subscription_ = std::move(subscription);
    monitor_ = true;
}

void Connection::reject(const json& message) {
    close_after_write_ = true;
    send(protocol::to_line(message));
}

void Connection::send(std::string line) {
    if (closed_)
        return;
    queued_bytes_ += line.size();
    if (queued_bytes_ > kMaxQueuedBytes) {
        close();  // a reader this slow would make the daemon buffer without bound
        return;
    }
    queue_.push_back(std::move(line));
    if (!writing_)
        write_next();
}

void Connection::write_next() {
    if (queue_.empty()) {
        writing_ = false;
        if (close_after_write_ && in_flight_ <= 0)
            close();
        return;
    }
    writing_ = true;
    stream_->write_all(asio::buffer(queue_.front()),
                       [self = shared_from_this()](const std::error_code& ec, std::size_t) {
                           if (self->closed_)
                               return;
                           if (ec)
                               return self->close();
                           self->queued_bytes_ -= self->queue_.front().size();
                           self->queue_.pop_front();
                           self->write_next();
                       });
}

void Connection::close() {
    if (closed_)
        return;
    closed_ = true;
    subscription_.reset();
    idle_timer_.cancel();
    stream_->close();
    if (on_closed_)
        on_closed_(this);
}

}  // namespace vpnsed::rpc
