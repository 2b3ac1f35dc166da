#include "service/tunnel_manager.hpp"

#include <asio/post.hpp>

#include <algorithm>

namespace vpnsed::service {
namespace {

using vpnse::Error;
using vpnse::ErrorCode;
using vpnse::TunnelState;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

struct TunnelManager::Waiter {
    std::uint64_t id;
    ConnectDone done;
    std::unique_ptr<asio::steady_timer> timer;
};

// One profile and, while it is active, its tunnel. Its address is stable (held by unique_ptr) because
// the handle keeps a reference to it as observer.
struct TunnelManager::Record : TunnelObserver {
    Record(TunnelManager& owner, vpnse::Profile p) : manager(owner), profile(std::move(p)) {}
    void on_state(TunnelState new_state, const Error& error) override {
        manager.on_state(*this, new_state, error);
    }

    TunnelManager& manager;
    vpnse::Profile profile;
    std::unique_ptr<TunnelHandle> handle;
    TunnelState state = TunnelState::disconnected;
    Error last_error;
    std::int64_t since = 0;
    std::uint64_t generation = 0;  // bumped per handle; stale deferred work checks it
    std::uint64_t next_waiter = 1;
    std::vector<Waiter> waiters;
};

TunnelManager::TunnelManager(asio::io_context& io, TunnelFactory& factory, std::filesystem::path profile_dir,
                             vpnse::Logger logger, EventBus& bus)
    : io_(io),
      factory_(factory),
      profile_dir_(std::move(profile_dir)),
      logger_(std::move(logger)),
      bus_(bus) {}

TunnelManager::~TunnelManager() {
    *alive_ = false;
    // Handles go first: their destructors may not call back, but records must outlive them.
    for (auto& [name, record] : records_)
        record->handle.reset();
}

ReloadReport TunnelManager::reload() {
    ReloadReport report;
    auto loaded = load_profile_directory(profile_dir_);
    report.errors = loaded.errors;
    for (const auto& error : loaded.errors)
        logger_.warn("profile not loaded", {{"file", error.file}, {"error", error.message}});

    // Files that failed to parse keep the previous version of their profile.
    std::vector<std::string> kept_on_error;
    for (const auto& error : loaded.errors) {
        const auto stem = std::filesystem::path(error.file).stem().string();
        if (records_.count(stem) && !loaded.profiles.count(stem))
            kept_on_error.push_back(stem);
    }

    for (auto it = records_.begin(); it != records_.end();) {
        const auto& name = it->first;
        if (loaded.profiles.count(name) ||
            std::find(kept_on_error.begin(), kept_on_error.end(), name) != kept_on_error.end()) {
            ++it;
            continue;
        }
        report.removed.push_back(name);
        if (it->second->handle)
            logger_.info("profile removed; disconnecting", {{"profile", name}});
        finish_waiters(*it->second, Error(ErrorCode::cancelled, "profile " + name + " was removed"));
        it->second->handle.reset();
        it = records_.erase(it);
    }

    for (auto& [name, profile] : loaded.profiles) {
        auto existing = records_.find(name);
        if (existing == records_.end()) {
            report.added.push_back(name);
            records_.emplace(name, std::make_unique<Record>(*this, std::move(profile)));
            continue;
        }
        Record& record = *existing->second;
        if (same_profile(record.profile, profile)) {
            report.unchanged.push_back(name);
            continue;
        }
        report.changed.push_back(name);
        record.profile = std::move(profile);
        if (record.handle && record.state != TunnelState::disconnected) {
            logger_.info("profile changed; reconnecting", {{"profile", name}});
            record.handle.reset();
            start(record);
        } else {
            record.handle.reset();
        }
    }
    load_errors_ = std::move(loaded.errors);
    if (!report.added.empty() || !report.removed.empty() || !report.changed.empty())
        bus_.publish(ProfilesEvent{report.added, report.removed, report.changed});
    return report;
}

void TunnelManager::autoconnect() {
    for (auto& [name, record] : records_) {
        if (record->profile.autoconnect && !record->handle) {
            logger_.info("autoconnect", {{"profile", name}});
            start(*record);
        }
    }
}

void TunnelManager::start(Record& record) {
    record.last_error = Error();
    if (!record.handle) {
        ++record.generation;
        record.handle = factory_.create(record.profile, record);
    }
    record.handle->connect();
}

void TunnelManager::connect(const std::string& name, bool wait, std::chrono::milliseconds timeout,
                            ConnectDone done) {
    auto it = records_.find(name);
    if (it == records_.end())
        return done(Error(ErrorCode::not_found, "no profile named " + name + " in " + profile_dir_.string()));
    Record& record = *it->second;
    if (shutdown_done_)
        return done(Error(ErrorCode::invalid_state, "vpnsed is shutting down"));
    if (record.state == TunnelState::established)
        return done({});
    const bool running = record.handle && record.state != TunnelState::disconnected;
    if (!running) {
        logger_.info("connect requested", {{"profile", name}});
        start(record);
    }
    if (!wait)
        return done({});

    Waiter waiter{record.next_waiter++, std::move(done), std::make_unique<asio::steady_timer>(io_, timeout)};
    waiter.timer->async_wait([this, alive = std::weak_ptr<bool>(alive_), name, id = waiter.id,
                              timeout](const std::error_code& ec) {
        if (ec || alive.expired())
            return;
        auto found = records_.find(name);
        if (found == records_.end())
            return;
        auto& waiters = found->second->waiters;
        auto w = std::find_if(waiters.begin(), waiters.end(), [&](const Waiter& x) { return x.id == id; });
        if (w == waiters.end())
            return;
        auto callback = std::move(w->done);
        waiters.erase(w);
        std::string message = "timed out after " + std::to_string(timeout.count() / 1000.0).substr(0, 4) +
                              " s waiting for " + name + " (state " +
                              std::string(vpnse::tunnel_state_name(found->second->state));
        if (found->second->last_error)
            message += "; last error: " + found->second->last_error.message();
        message += "); it keeps trying in the background";
        callback(Error(ErrorCode::timeout, message));
    });
    record.waiters.push_back(std::move(waiter));
}

void TunnelManager::finish_waiters(Record& record, const vpnse::Status& status) {
    auto waiters = std::move(record.waiters);
    record.waiters.clear();
    for (auto& waiter : waiters) {
        waiter.timer->cancel();
        waiter.done(status);
    }
}

void TunnelManager::on_state(Record& record, TunnelState state, const Error& error) {
    const auto previous = record.state;
    record.state = state;
    record.since = unix_now();
    if (error)
        record.last_error = error;
    if (error)
        logger_.warn("tunnel " + std::string(vpnse::tunnel_state_name(state)),
                     {{"profile", record.profile.name}, {"error", error.to_string()}});
    else
        logger_.info("tunnel " + std::string(vpnse::tunnel_state_name(state)),
                     {{"profile", record.profile.name}});
    bus_.publish(StateEvent{record.profile.name, state, error, record.since});

    if (state == TunnelState::established) {
        finish_waiters(record, {});
    } else if (state == TunnelState::disconnected) {
        finish_waiters(
            record, error ? error : Error(ErrorCode::cancelled, record.profile.name + " was disconnected"));
        // Drop the handle (releasing its TUN device) outside the handle's own callback.
        asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_), name = record.profile.name,
                         generation = record.generation] {
            if (alive.expired())
                return;
            auto it = records_.find(name);
            if (it == records_.end() || it->second->generation != generation ||
                it->second->state != TunnelState::disconnected)
                return;
            it->second->handle.reset();
            check_shutdown();
        });
    }
    (void)previous;
}

vpnse::Status TunnelManager::disconnect(const std::string& name) {
    auto it = records_.find(name);
    if (it == records_.end())
        return Error(ErrorCode::not_found, "no profile named " + name + " in " + profile_dir_.string());
    Record& record = *it->second;
    if (!record.handle || record.state == TunnelState::disconnected) {
        if (!factory_.kill_switch_kept(name))
            return Error(ErrorCode::not_connected, name + " is not connected");
        // A kill switch kept from before a daemon crash: the user asks to be let out, so lift it.
        logger_.info("disconnect requested: lifting the kill switch kept from before a restart",
                     {{"profile", name}});
        if (!record.handle) {
            ++record.generation;
            record.handle = factory_.create(record.profile, record);
        }
        record.handle->disconnect();
        return {};
    }
    logger_.info("disconnect requested", {{"profile", name}});
    record.handle->disconnect();
    return {};
}

std::vector<std::string> TunnelManager::disconnect_all() {
    std::vector<std::string> names;
    for (auto& [name, record] : records_) {
        if (record->handle && record->state != TunnelState::disconnected) {
            record->handle->disconnect();
            names.push_back(name);
        }
    }
    return names;
}

std::size_t TunnelManager::running_count() const {
    return static_cast<std::size_t>(std::count_if(
        records_.begin(), records_.end(), [](const auto& entry) { return entry.second->handle != nullptr; }));
}

void TunnelManager::shutdown(std::chrono::milliseconds grace, std::function<void()> done) {
    shutdown_done_ = std::move(done);
    disconnect_all();
    shutdown_timer_ = std::make_unique<asio::steady_timer>(io_, grace);
    shutdown_timer_->async_wait([this, alive = std::weak_ptr<bool>(alive_)](const std::error_code& ec) {
        if (ec || alive.expired() || !shutdown_done_)
            return;
        logger_.warn("tunnels did not close in time; tearing them down");
        for (auto& [name, record] : records_)
            record->handle.reset();
        check_shutdown();
    });
    // Tunnels with a handle that is already disconnected are dropped right away.
    for (auto& [name, record] : records_)
        if (record->handle && record->state == TunnelState::disconnected)
            record->handle.reset();
    asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
        if (!alive.expired())
            check_shutdown();
    });
}

void TunnelManager::check_shutdown() {
    if (!shutdown_done_ || running_count() > 0)
        return;
    shutdown_timer_.reset();
    auto done = std::move(shutdown_done_);
    shutdown_done_ = nullptr;
    done();
}

vpnse::Result<TunnelReport> TunnelManager::report(const std::string& name) const {
    auto it = records_.find(name);
    if (it == records_.end())
        return Error(ErrorCode::not_found, "no profile named " + name + " in " + profile_dir_.string());
    const Record& record = *it->second;
    TunnelReport out;
    out.profile = &record.profile;
    out.state = record.state;
    out.last_error = record.last_error;
    out.since = record.since;
    if (record.handle)
        out.snapshot = record.handle->status();
    return out;
}

std::vector<TunnelReport> TunnelManager::reports() const {
    std::vector<TunnelReport> out;
    for (const auto& [name, record] : records_)
        out.push_back(report(name).value());
    return out;
}

const vpnse::Profile* TunnelManager::profile(const std::string& name) const {
    auto it = records_.find(name);
    return it == records_.end() ? nullptr : &it->second->profile;
}

}  // namespace vpnsed::service
