#include "dbus/daemon_object.hpp"

#include <sdbus-c++/sdbus-c++.h>

#include "dbus/caller.hpp"
#include "dbus/names.hpp"
#include "dbus/object_path.hpp"
#include "dbus/profile_dict.hpp"
#include "dbus/replies.hpp"

namespace vpnsed::dbus {
namespace {

const std::string kInterface(kDaemonInterface);

using ProfileRow =
    sdbus::Struct<std::string, std::string, std::uint32_t, std::string, std::string, bool, std::string>;
using LoadErrorRow = sdbus::Struct<std::string, std::string>;
using LogRow =
    sdbus::Struct<std::int64_t, std::string, std::string, std::string, std::map<std::string, std::string>>;

std::vector<LoadErrorRow> error_rows(const std::vector<protocol::ProfileLoadError>& errors) {
    std::vector<LoadErrorRow> out;
    for (const auto& error : errors)
        out.emplace_back(error.file, error.message);
    return out;
}

std::vector<ProfileRow> profile_rows(const std::vector<protocol::ProfileSummary>& profiles) {
    std::vector<ProfileRow> out;
    for (const auto& p : profiles)
        out.emplace_back(p.name, p.host, p.port, p.hub, p.user, p.autoconnect,
                         std::string(vpnse::tunnel_state_name(p.state)));
    return out;
}

std::vector<LogRow> log_rows(const std::vector<protocol::LogLine>& lines) {
    std::vector<LogRow> out;
    for (const auto& line : lines) {
        std::map<std::string, std::string> fields;
        for (const auto& field : line.fields)
            fields[field.key] = field.value;
        out.emplace_back(line.time_ms, std::string(vpnse::log_level_name(line.level)), line.component,
                         line.message, std::move(fields));
    }
    return out;
}

}  // namespace

DaemonObject::DaemonObject(sdbus::IConnection& connection, ObjectContext& context, TunnelPaths tunnel_paths)
    : context_(context),
      tunnel_paths_(std::move(tunnel_paths)),
      object_(sdbus::createObject(connection, std::string(kDaemonPath))) {
    register_reads();
    register_changes();
    object_->registerProperty("Tunnels").onInterface(kInterface).withGetter([this] {
        std::vector<sdbus::ObjectPath> paths;
        for (auto& path : tunnel_paths_())
            paths.emplace_back(std::move(path));
        return paths;
    });
    object_->finishRegistration();
}

DaemonObject::~DaemonObject() = default;

api::Caller DaemonObject::caller() const {
    return caller_of(*object_->getCurrentlyProcessedMessage(), context_.group);
}

void DaemonObject::tunnels_changed() {
    try {
        object_->emitPropertiesChangedSignal(kInterface, {"Tunnels"});
    } catch (const sdbus::Error&) {
        return;
    }
    context_.loop.wake();
}

void DaemonObject::register_reads() {
    auto& api = context_.api;
    object_->registerMethod("Version")
        .onInterface(kInterface)
        .withOutputParamNames("name", "version", "protocol")
        .implementedAs([this, &api] {
            auto info = value_or_throw(api.version(caller()));
            return std::tuple(info.name, info.version, static_cast<std::uint32_t>(info.protocol));
        });
    object_->registerMethod("ListProfiles")
        .onInterface(kInterface)
        .withOutputParamNames("profiles", "errors")
        .implementedAs([this, &api] {
            auto list = value_or_throw(api.list_profiles(caller()));
            return std::tuple(profile_rows(list.profiles), error_rows(list.errors));
        });
    object_->registerMethod("GetProfile")
        .onInterface(kInterface)
        .withInputParamNames("name")
        .withOutputParamNames("profile")
        .implementedAs([this, &api](const std::string& name) {
            return profile_dict(value_or_throw(api.get_profile(caller(), name)));
        });
    object_->registerMethod("GetLogs")
        .onInterface(kInterface)
        .withInputParamNames("lines")
        .withOutputParamNames("lines")
        .implementedAs([this, &api](std::uint32_t lines) {
            return log_rows(value_or_throw(api.logs(caller(), lines)));
        });
}

void DaemonObject::register_changes() {
    auto& api = context_.api;
    auto& loop = context_.loop;
    object_->registerMethod("ReloadProfiles")
        .onInterface(kInterface)
        .withOutputParamNames("added", "removed", "changed", "unchanged", "errors")
        .implementedAs(
            [this, &api, &loop](
                sdbus::Result<std::vector<std::string>, std::vector<std::string>, std::vector<std::string>,
                              std::vector<std::string>, std::vector<LoadErrorRow>>&& result) {
                PendingReply reply(std::move(result), loop);
                api.reload_profiles(caller(), [reply](vpnse::Result<protocol::ReloadResult> done) {
                    if (!done)
                        return reply.fail(done.error());
                    reply.answer(done->added, done->removed, done->changed, done->unchanged,
                                 error_rows(done->errors));
                });
            });
    object_->registerMethod("ImportProfile")
        .onInterface(kInterface)
        .withInputParamNames("content", "name", "replace")
        .withOutputParamNames("name", "notes")
        .implementedAs([this, &api, &loop](sdbus::Result<std::string, std::vector<std::string>>&& result,
                                           const std::string& content, const std::string& name,
                                           bool replace) {
            PendingReply reply(std::move(result), loop);
            api.import_profile(caller(), {content, name, "", replace},
                               [reply](vpnse::Result<protocol::ImportResult> imported) {
                                   if (!imported)
                                       return reply.fail(imported.error());
                                   reply.answer(imported->name, imported->notes);
                               });
        });
    object_->registerMethod("RemoveProfile")
        .onInterface(kInterface)
        .withInputParamNames("name")
        .withOutputParamNames("files")
        .implementedAs(
            [this, &api, &loop](sdbus::Result<std::vector<std::string>>&& result, const std::string& name) {
                PendingReply reply(std::move(result), loop);
                api.remove_profile(caller(), name, [reply](vpnse::Result<protocol::RemoveResult> removed) {
                    if (!removed)
                        return reply.fail(removed.error());
                    reply.answer(removed->files);
                });
            });
    object_->registerMethod("Connect")
        .onInterface(kInterface)
        .withInputParamNames("name", "wait", "timeout_ms")
        .withOutputParamNames("tunnel")
        .implementedAs([this, &api, &loop](sdbus::Result<sdbus::ObjectPath>&& result, const std::string& name,
                                           bool wait, std::uint32_t timeout_ms) {
            PendingReply reply(std::move(result), loop);
            api.connect(caller(), {name, wait, timeout_ms},
                        [reply](vpnse::Result<protocol::TunnelStatus> status) {
                            if (!status)
                                return reply.fail(status.error());
                            reply.answer(sdbus::ObjectPath(tunnel_path(status->name)));
                        });
        });
    object_->registerMethod("Disconnect")
        .onInterface(kInterface)
        .withInputParamNames("name")
        .implementedAs([this, &api, &loop](sdbus::Result<>&& result, const std::string& name) {
            PendingReply reply(std::move(result), loop);
            api.disconnect(caller(), {name, false}, [reply](vpnse::Result<std::vector<std::string>> names) {
                if (!names)
                    return reply.fail(names.error());
                reply.answer();
            });
        });
    object_->registerMethod("DisconnectAll")
        .onInterface(kInterface)
        .withOutputParamNames("disconnected")
        .implementedAs([this, &api, &loop](sdbus::Result<std::vector<std::string>>&& result) {
            PendingReply reply(std::move(result), loop);
            api.disconnect(caller(), {"", true}, [reply](vpnse::Result<std::vector<std::string>> names) {
                if (!names)
                    return reply.fail(names.error());
                reply.answer(*names);
            });
        });
}

}  // namespace vpnsed::dbus
