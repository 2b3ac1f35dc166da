#pragma once
// TunnelManager: which profiles exist and which tunnels run. Owns one TunnelHandle per active profile
// (created through the injected TunnelFactory), tracks state and last error per profile, answers
// connect waiters, and publishes state changes on the EventBus. No OS calls: profiles come from
// vpnse::load_profile_file and tunnels from the factory. Runs on the daemon's io_context thread.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "service/event_bus.hpp"
#include "service/profile_directory.hpp"
#include "service/tunnel_factory.hpp"
#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnsed::service {

struct TunnelReport {
    const vpnse::Profile* profile = nullptr;  // valid until the next reload
    vpnse::TunnelState state = vpnse::TunnelState::disconnected;
    vpnse::Error last_error;
    std::int64_t since = 0;                  // Unix seconds of the last state change (0: never)
    std::optional<TunnelSnapshot> snapshot;  // present while a tunnel handle exists
};

struct ReloadReport {
    std::vector<std::string> added, removed, changed, unchanged;
    std::vector<ProfileLoadError> errors;
};

using ConnectDone = std::function<void(const vpnse::Status&)>;

class TunnelManager {
  public:
    TunnelManager(asio::io_context& io, TunnelFactory& factory, std::filesystem::path profile_dir,
                  vpnse::Logger logger, EventBus& bus);
    ~TunnelManager();
    TunnelManager(const TunnelManager&) = delete;
    TunnelManager& operator=(const TunnelManager&) = delete;

    // (Re)reads profile_dir. Unchanged profiles keep their tunnels; a changed profile with a running tunnel
    // is reconnected with the new settings; a removed profile's tunnel is disconnected. A file that now
    // fails to parse keeps its previous version (a bad edit must not cut a working tunnel) and is
    // reported in `errors`.
    ReloadReport reload();
    const std::filesystem::path& profile_dir() const { return profile_dir_; }
    // Connects every autoconnect profile that is not running.
    void autoconnect();

    // not_found for an unknown profile. Without `wait`, `done` runs as soon as the tunnel is started.
    // With `wait`, when it is established (ok), fails for good (its error), is disconnected (cancelled)
    // or `timeout` passes (ErrorCode::timeout; the tunnel keeps trying). `done` is always called, possibly
    // before connect() returns.
    void connect(const std::string& name, bool wait, std::chrono::milliseconds timeout, ConnectDone done);
    // not_found for an unknown profile, not_connected if it has no running tunnel.
    vpnse::Status disconnect(const std::string& name);
    std::vector<std::string> disconnect_all();  // names that were running
    // Disconnects everything and calls `done` when all tunnels are down or after `grace` (then the
    // remaining handles are destroyed, which tears them down synchronously).
    void shutdown(std::chrono::milliseconds grace, std::function<void()> done);

    std::vector<TunnelReport> reports() const;  // every profile, by name
    vpnse::Result<TunnelReport> report(const std::string& name) const;
    const vpnse::Profile* profile(const std::string& name) const;
    const std::vector<ProfileLoadError>& load_errors() const { return load_errors_; }
    std::size_t running_count() const;

  private:
    struct Record;
    struct Waiter;
    void on_state(Record& record, vpnse::TunnelState state, const vpnse::Error& error);
    void start(Record& record);
    void finish_waiters(Record& record, const vpnse::Status& status);
    void check_shutdown();

    asio::io_context& io_;
    TunnelFactory& factory_;
    std::filesystem::path profile_dir_;
    vpnse::Logger logger_;
    EventBus& bus_;
    std::map<std::string, std::unique_ptr<Record>> records_;
    std::vector<ProfileLoadError> load_errors_;
    std::function<void()> shutdown_done_;
    std::unique_ptr<asio::steady_timer> shutdown_timer_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // guards posted work after destruction
};

}  // namespace vpnsed::service
