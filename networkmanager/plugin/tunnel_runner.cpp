#include "plugin/tunnel_runner.hpp"

#include <asio/post.hpp>
#include <future>

#include "plugin/main_context.hpp"
#include "tunnel/tunnel_factory_linux.hpp"

namespace vpnse::nm {

TunnelRunner::TunnelRunner(TunnelEvents events, Logger logger)
    : events_(std::move(events)), logger_(std::move(logger)), work_(asio::make_work_guard(io_)) {
    settings_.log_level = logger_.level();
    std::weak_ptr<bool> alive = alive_;
    factory_ = vpnsed::tunnel::make_reporting_tunnel_factory(
        io_, settings_, logger_, [this, alive](const vpnsed::tunnel::NetworkReport& report) {
            on_main_context([this, alive, report] {
                if (alive.lock() && events_.on_network)
                    events_.on_network(report);
            });
        });
    thread_ = std::thread([this] { io_.run(); });
}

TunnelRunner::~TunnelRunner() {
    alive_.reset();
    stop();
    work_.reset();
    io_.stop();
    thread_.join();
}

void TunnelRunner::start(const Profile& profile) {
    run_there([this, profile] {
        tunnel_ = factory_->create(profile, *this);
        tunnel_->connect();
    });
}

void TunnelRunner::stop(std::chrono::milliseconds limit) {
    auto disconnected = std::make_shared<std::promise<void>>();
    auto done = disconnected->get_future();
    run_there([this, disconnected] {
        if (!tunnel_ || tunnel_->status().state == TunnelState::disconnected) {
            disconnected->set_value();
            return;
        }
        on_disconnected_ = [disconnected] { disconnected->set_value(); };
        tunnel_->disconnect();
    });
    if (done.wait_for(limit) != std::future_status::ready)
        logger_.warn("the session did not log out in time; closing it");
    run_there([this] {
        on_disconnected_ = nullptr;
        tunnel_.reset();  // the Tunnel's teardown closes the TUN
    });
}

void TunnelRunner::on_state(TunnelState state, const Error& error) {
    if (state == TunnelState::disconnected && on_disconnected_) {
        std::exchange(on_disconnected_, nullptr)();
        return;  // asked for by stop(): not news for NetworkManager
    }
    std::weak_ptr<bool> alive = alive_;
    on_main_context([this, alive, state, error] {
        if (alive.lock() && events_.on_state)
            events_.on_state(state, error);
    });
}

void TunnelRunner::run_there(std::function<void()> work) {
    std::promise<void> ran;
    auto done = ran.get_future();
    asio::post(io_, [&work, &ran] {
        work();
        ran.set_value();
    });
    done.wait();
}

}  // namespace vpnse::nm
