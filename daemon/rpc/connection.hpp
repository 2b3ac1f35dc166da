#pragma once
// One control-channel client (Unix socket or named pipe, rpc/control_stream.hpp): reads newline-delimited
// requests (protocol/framing.hpp), dispatches them, and writes responses and notifications in order. Closes
// on EOF, on a line over the limit (after an error response), on the idle timeout (only while it has no
// request in flight and is not a monitor), and when a monitor falls too far behind (its unsent output exceeds
// kMaxQueuedBytes).
#include <asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "protocol/framing.hpp"
#include "rpc/control_stream.hpp"
#include "rpc/dispatcher.hpp"
#include "rpc/peer.hpp"

namespace vpnsed::rpc {

class Connection : public Peer, public std::enable_shared_from_this<Connection> {
  public:
    static constexpr std::size_t kMaxQueuedBytes = 8 * 1024 * 1024;

    Connection(std::unique_ptr<ControlStream> stream, Dispatcher& dispatcher, Caller caller,
               std::chrono::seconds idle_timeout, std::function<void(Connection*)> on_closed);
    void start();
    void close();
    // Sends one line and closes (used to refuse a client when the server is full).
    void reject(const nlohmann::json& message);

    const Caller& caller() const override { return caller_; }
    void notify(const nlohmann::json& notification) override;
    void keep_subscription(service::EventBus::Subscription subscription) override;

  private:
    void read();
    void handle_lines();
    void send(std::string line);
    void write_next();
    void arm_idle_timer();

    std::unique_ptr<ControlStream> stream_;
    Dispatcher& dispatcher_;
    Caller caller_;
    std::chrono::seconds idle_timeout_;
    std::function<void(Connection*)> on_closed_;
    asio::steady_timer idle_timer_;
    protocol::LineReader reader_;
    std::array<char, 16 * 1024> read_buffer_{};
    std::deque<std::string> queue_;
    std::size_t queued_bytes_ = 0;
    bool writing_ = false;
    bool close_after_write_ = false;
    bool closed_ = false;
    bool monitor_ = false;
    int in_flight_ = 0;  // requests dispatched but not answered (tunnels.connect with wait)
    std::chrono::steady_clock::time_point last_input_;
    service::EventBus::Subscription subscription_;
};

}  // namespace vpnsed::rpc
