#pragma once
// In-memory TunnelFactory for unit tests, fuzzing and the integration daemon (vpnsed_test). Never used
// by vpnsed itself. Tunnels follow a script chosen by the profile, so tests drive them through ordinary
// profile files:
//   auth.username "wrong"  -> connecting, authenticating, disconnected(auth_failed)
//   server.host ends ".unreachable" -> connecting, reconnecting(connect_failed) ... forever
//   server.hub "SLOW"      -> connecting, and nothing more
//   anything else          -> connecting, authenticating, configuring, established (192.168.30.10/24)
// With manual mode the script is off and tests call FakeTunnel::report() themselves.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <set>
#include <vector>

#include "service/tunnel_factory.hpp"

namespace vpnsed::service {

class FakeTunnel : public TunnelHandle {
  public:
    FakeTunnel(asio::io_context& io, vpnse::Profile profile, TunnelObserver& observer, bool manual,
               std::chrono::milliseconds step, std::shared_ptr<int> live_count);
    ~FakeTunnel() override;

    void connect() override;
    void disconnect() override;
    TunnelSnapshot status() const override;

    // Manual mode: report a transition now (synchronously).
    void report(vpnse::TunnelState state, vpnse::Error error = {});
    const vpnse::Profile& profile() const { return profile_; }
    int connect_calls = 0;
    int disconnect_calls = 0;

  private:
    void run_script(std::vector<std::pair<vpnse::TunnelState, vpnse::Error>> steps);

    asio::io_context& io_;
    vpnse::Profile profile_;
    TunnelObserver& observer_;
    bool manual_;
    std::chrono::milliseconds step_;
    std::shared_ptr<int> live_count_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    vpnse::TunnelState state_ = vpnse::TunnelState::disconnected;
    vpnse::Error last_error_;
    std::chrono::steady_clock::time_point established_at_{};
    std::vector<std::unique_ptr<asio::steady_timer>> timers_;
};

class FakeTunnelFactory : public TunnelFactory {
  public:
    explicit FakeTunnelFactory(asio::io_context& io, bool manual = false,
                               std::chrono::milliseconds step = std::chrono::milliseconds(0))
        : io_(io), manual_(manual), step_(step) {}

    std::unique_ptr<TunnelHandle> create(const vpnse::Profile& profile, TunnelObserver& observer) override;

    // Most recent handle created for `name` (dangling once the service drops it; check live()).
    FakeTunnel* last(const std::string& name) const;
    int live() const { return *live_count_; }  // handles not yet destroyed
    int created() const { return static_cast<int>(created_.size()); }
    bool kill_switch_kept(const std::string& name) const override {
        return kept_kill_switches.count(name) != 0;
    }

    std::set<std::string> kept_kill_switches;  // tunnels that left a kill switch behind (a "crash")

  private:
    asio::io_context& io_;
    bool manual_;
    std::chrono::milliseconds step_;
    std::shared_ptr<int> live_count_ = std::make_shared<int>(0);
    std::vector<std::pair<std::string, FakeTunnel*>> created_;
};

}  // namespace vpnsed::service
