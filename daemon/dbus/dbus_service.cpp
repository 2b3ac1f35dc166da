#include "dbus/dbus_service.hpp"

#include <sdbus-c++/sdbus-c++.h>

#include "dbus/names.hpp"

namespace vpnsed::dbus {
namespace {

// The adapter reads state for its own objects; reads are open to every caller.
api::Caller self() {
    api::Caller caller;
    caller.origin = api::Origin::internal;
    return caller;
}

}  // namespace

DbusService::DbusService(Bus& bus, api::ServiceApi& api, std::string group, vpnse::Logger log)
    : bus_(bus), context_{api, *bus.loop, std::move(group)}, log_(std::move(log)) {}

DbusService::~DbusService() {
    events_.reset();
    tunnels_.clear();
    daemon_.reset();
    root_.reset();
    try {
        bus_.connection->releaseName(std::string(kBusName));
    } catch (const sdbus::Error&) {
    }
}

bool DbusService::start() {
    try {
        root_ = sdbus::createObject(*bus_.connection, std::string(kRootPath));
        root_->addObjectManager();
        daemon_ = std::make_unique<DaemonObject>(*bus_.connection, context_, [this] {
            std::vector<std::string> paths;
            for (const auto& [name, object] : tunnels_)
                paths.push_back(object->path());
            return paths;
        });
        sync_tunnels();
        auto subscription = context_.api.subscribe(
            self(), {protocol::Topic::state, protocol::Topic::stats, protocol::Topic::profiles},
            api::EventSink{[this](const protocol::StateChange& change) { refresh(change.name); },
                           [this](const std::vector<protocol::TunnelStatus>& tunnels) { on_stats(tunnels); },
                           {},
                           [this](const protocol::ProfilesChange& change) {
                               sync_tunnels();
                               for (const auto& name : change.changed)
                                   refresh(name);
                           }});
        if (subscription)
            events_ = std::move(subscription).value();
        bus_.connection->requestName(std::string(kBusName));
    } catch (const sdbus::Error& e) {
        log_.error("cannot serve the D-Bus API (the control socket still serves)",
                   {{"name", std::string(kBusName)}, {"error", e.getName() + ": " + e.getMessage()}});
        return false;
    }
    bus_.loop->start();
    log_.info("D-Bus API ready",
              {{"name", std::string(kBusName)}, {"objects", std::to_string(tunnels_.size())}});
    return true;
}

void DbusService::sync_tunnels() {
    auto statuses = context_.api.status(self(), std::nullopt);
    if (!statuses)
        return;
    bool changed = false;
    std::map<std::string, std::unique_ptr<TunnelObject>> kept;
    for (const auto& status : *statuses) {
        auto existing = tunnels_.find(status.name);
        if (existing != tunnels_.end()) {
            existing->second->update(to_properties(status));
            kept.emplace(status.name, std::move(existing->second));
            continue;
        }
        kept.emplace(status.name,
                     std::make_unique<TunnelObject>(*bus_.connection, context_, to_properties(status)));
        changed = true;
    }
    changed = changed || kept.size() != tunnels_.size();
    tunnels_ = std::move(kept);  // objects of removed profiles go (InterfacesRemoved)
    if (changed && daemon_)
        daemon_->tunnels_changed();
}

void DbusService::refresh(const std::string& name) {
    auto object = tunnels_.find(name);
    if (object == tunnels_.end())
        return;
    auto status = context_.api.status(self(), name);
    if (status && !status->empty())
        object->second->update(to_properties(status->front()));
}

void DbusService::on_stats(const std::vector<protocol::TunnelStatus>& tunnels) {
    for (const auto& status : tunnels)
        if (auto object = tunnels_.find(status.name); object != tunnels_.end())
            object->second->update(to_properties(status));
}

}  // namespace vpnsed::dbus
