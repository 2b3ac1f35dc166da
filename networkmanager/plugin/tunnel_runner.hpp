#pragma once
// One vpnsed Tunnel in "report, don't apply" mode (tunnel/tunnel.hpp) on its own Asio thread, for the
// GLib world of the NetworkManager plugin: commands go to the Asio thread, events come back on the GLib
// main context. The TUN and the session are ours; NetworkManager applies what we report.
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <functional>
#include <memory>
#include <thread>

#include "service/tunnel_factory.hpp"
#include "settings/daemon_settings.hpp"
#include "tunnel/tunnel.hpp"
#include "vpnse/log.hpp"

namespace vpnse::nm {

struct TunnelEvents {  // called on the GLib main context
    std::function<void(TunnelState state, const Error& error)> on_state;
    std::function<void(const vpnsed::tunnel::NetworkReport& report)> on_network;
};

class TunnelRunner final : private vpnsed::service::TunnelObserver {
  public:
    TunnelRunner(TunnelEvents events, Logger logger);
    // Tears the tunnel down (the session logged out, the TUN gone) before returning.
    ~TunnelRunner() override;
    TunnelRunner(const TunnelRunner&) = delete;
    TunnelRunner& operator=(const TunnelRunner&) = delete;

    void start(const Profile& profile);
    // Logs out and closes the TUN; returns when done (or after `limit`, then tears down hard).
    void stop(std::chrono::milliseconds limit = std::chrono::seconds(3));

  private:
    void on_state(TunnelState state, const Error& error) override;  // Asio thread
    // Runs `work` on the Asio thread and waits for it.
    void run_there(std::function<void()> work);

    TunnelEvents events_;
    Logger logger_;
    vpnsed::settings::DaemonSettings settings_;
    asio::io_context io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::unique_ptr<vpnsed::service::TunnelFactory> factory_;
    std::unique_ptr<vpnsed::service::TunnelHandle> tunnel_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // read on the GLib side only
    std::function<void()> on_disconnected_;                       // Asio thread: stop() waiting
    std::thread thread_;
};

}  // namespace vpnse::nm
