#include "api/service_api.hpp"

#include "api/status_view.hpp"
#include "service/profile_import.hpp"
#include "service/profile_remove.hpp"

namespace vpnsed::api {

using vpnse::Error;
using vpnse::ErrorCode;
namespace protocol = vpnsed::protocol;

namespace {

std::vector<protocol::ProfileLoadError> load_errors(const std::vector<service::ProfileLoadError>& errors) {
    std::vector<protocol::ProfileLoadError> out;
    for (const auto& error : errors)
        out.push_back(protocol::ProfileLoadError{error.file, error.message});
    return out;
}

}  // namespace

ServiceApi::ServiceApi(ServiceContext context) : context_(std::move(context)) {}

vpnse::Status ServiceApi::authorize_read(Call call) const {
    // The table decides; a reading call reaching a mutating check would be a bug in this file.
    if (is_mutating(call))
        return Error(ErrorCode::internal,
                     "call " + std::string(call_info(call).name) + " needs authorization");
    return {};
}

vpnse::Error ServiceApi::refusal(const Caller& caller, Call call) const {
    const auto name = std::string(call_info(call).name);
    context_.logger.info("permission denied", {{"method", name}, {"uid", std::to_string(caller.uid)}});
    std::string message =
        "permission denied: " + name + " requires root or membership in group " + context_.group;
    if (context_.authority)
        message += ", or polkit authorization for " + std::string(action_id(call_info(call).action));
    return Error(ErrorCode::permission_denied, std::move(message));
}

void ServiceApi::authorize(const Caller& caller, Call call, std::function<void(vpnse::Status)> then) {
    if (caller.privileged || !is_mutating(call))
        return then({});
    if (!context_.authority)
        return then(refusal(caller, call));
    context_.authority->check(
        caller, call_info(call).action, [this, caller, call, then = std::move(then)](bool allowed) {
            if (!allowed)
                return then(refusal(caller, call));
            context_.logger.info("allowed by polkit", {{"method", std::string(call_info(call).name)},
                                                       {"uid", std::to_string(caller.uid)}});
            then({});
        });
}

vpnse::Result<protocol::VersionInfo> ServiceApi::version(const Caller& /*caller*/) const {
    if (auto allowed = authorize_read(Call::version); !allowed)
        return allowed.error();
    return protocol::VersionInfo{"vpnsed", context_.version, protocol::kProtocolVersion};
}

vpnse::Result<protocol::ProfileList> ServiceApi::list_profiles(const Caller& /*caller*/) const {
    if (auto allowed = authorize_read(Call::profiles_list); !allowed)
        return allowed.error();
    protocol::ProfileList list;
    for (const auto& report : context_.tunnels.reports())
        list.profiles.push_back(to_summary(report));
    list.errors = load_errors(context_.tunnels.load_errors());
    return list;
}

vpnse::Result<protocol::ProfileView> ServiceApi::get_profile(const Caller& /*caller*/,
                                                             const std::string& name) const {
    if (auto allowed = authorize_read(Call::profiles_get); !allowed)
        return allowed.error();
    const auto* profile = context_.tunnels.profile(name);
    if (!profile)
        return Error(ErrorCode::not_found, "no profile named " + name);
    return protocol::without_secrets(*profile);
}

void ServiceApi::reload_profiles(const Caller& caller, Done<protocol::ReloadResult> done) {
    authorize(caller, Call::profiles_reload, [this, done = std::move(done)](const vpnse::Status& allowed) {
        if (!allowed)
            return done(allowed.error());
        context_.logger.info("reloading profiles (requested by a client)");
        auto report = context_.tunnels.reload();
        done(protocol::ReloadResult{report.added, report.removed, report.changed, report.unchanged,
                                    load_errors(report.errors)});
    });
}

void ServiceApi::import_profile(const Caller& caller, const protocol::ImportParams& params,
                                Done<protocol::ImportResult> done) {
    auto format = service::ImportFormat::detect;
    if (params.format == "toml")
        format = service::ImportFormat::toml;
    else if (params.format == "vpn")
        format = service::ImportFormat::vpn;
    else if (!params.format.empty())
        return done(Error(ErrorCode::invalid_argument, "format: must be \"toml\", \"vpn\" or absent"));
    authorize(caller, Call::profiles_import,
              [this, params, format, done = std::move(done)](const vpnse::Status& allowed) {
                  if (!allowed)
                      return done(allowed.error());
                  auto prepared = service::prepare_import(params.content, params.name, format);
                  if (!prepared)
                      return done(prepared.error());
                  if (auto written = service::write_profile_file(context_.tunnels.profile_dir(), *prepared,
                                                                 params.replace);
                      !written)
                      return done(written.error());
                  context_.logger.info(
                      "profile imported",
                      {{"profile", prepared->name}, {"notes", std::to_string(prepared->notes.size())}});
                  (void)context_.tunnels.reload();
                  done(protocol::ImportResult{prepared->name, prepared->notes});
              });
}

void ServiceApi::remove_profile(const Caller& caller, const std::string& name,
                                Done<protocol::RemoveResult> done) {
    authorize(caller, Call::profiles_remove,
              [this, name, done = std::move(done)](const vpnse::Status& allowed) {
                  if (!allowed)
                      return done(allowed.error());
                  auto removed = service::remove_profile_files(context_.tunnels.profile_dir(), name);
                  if (!removed)
                      return done(removed.error());
                  context_.logger.info("profile removed", {{"profile", name}});
                  (void)context_.tunnels.reload();
                  done(protocol::RemoveResult{name, std::move(*removed)});
              });
}

void ServiceApi::connect(const Caller& caller, const protocol::ConnectParams& params,
                         Done<protocol::TunnelStatus> done) {
    if (auto valid = protocol::check_connect_params(params); !valid)
        return done(valid.error());
    authorize(caller, Call::tunnels_connect,
              [this, params, done = std::move(done)](const vpnse::Status& allowed) {
                  if (!allowed)
                      return done(allowed.error());
                  auto& tunnels = context_.tunnels;
                  tunnels.connect(params.name, params.wait, std::chrono::milliseconds(params.timeout_ms),
                                  [&tunnels, name = params.name, done](const vpnse::Status& status) {
                                      if (!status)
                                          return done(status.error());
                                      auto report = tunnels.report(name);
                                      if (!report)
                                          return done(report.error());
                                      done(to_status(*report));
                                  });
              });
}

void ServiceApi::disconnect(const Caller& caller, const protocol::DisconnectParams& params,
                            Done<std::vector<std::string>> done) {
    authorize(caller, Call::tunnels_disconnect,
              [this, params, done = std::move(done)](const vpnse::Status& allowed) {
                  if (!allowed)
                      return done(allowed.error());
                  if (params.all)
                      return done(context_.tunnels.disconnect_all());
                  if (auto status = context_.tunnels.disconnect(params.name); !status)
                      return done(status.error());
                  done(std::vector<std::string>{params.name});
              });
}

vpnse::Result<std::vector<protocol::TunnelStatus>> ServiceApi::status(
    const Caller& /*caller*/, const std::optional<std::string>& name) const {
    if (auto allowed = authorize_read(Call::tunnels_status); !allowed)
        return allowed.error();
    std::vector<protocol::TunnelStatus> out;
    if (name) {
        auto report = context_.tunnels.report(*name);
        if (!report)
            return report.error();
        out.push_back(to_status(*report));
        return out;
    }
    for (const auto& report : context_.tunnels.reports())
        out.push_back(to_status(report));
    return out;
}

vpnse::Result<std::vector<protocol::ProfileSummary>> ServiceApi::list_tunnels(
    const Caller& /*caller*/) const {
    if (auto allowed = authorize_read(Call::tunnels_list); !allowed)
        return allowed.error();
    std::vector<protocol::ProfileSummary> out;
    for (const auto& report : context_.tunnels.reports())
        if (report.snapshot || report.state != vpnse::TunnelState::disconnected)
            out.push_back(to_summary(report));
    return out;
}

vpnse::Result<std::vector<protocol::LogLine>> ServiceApi::logs(const Caller& /*caller*/,
                                                               std::uint32_t lines) const {
    if (auto allowed = authorize_read(Call::daemon_logs); !allowed)
        return allowed.error();
    if (lines == 0 || lines > protocol::kMaxLogLines)
        return Error(ErrorCode::invalid_argument,
                     "lines: must be between 1 and " + std::to_string(protocol::kMaxLogLines));
    std::vector<protocol::LogLine> out;
    if (context_.logs)
        for (const auto& entry : context_.logs->recent(lines))
            out.push_back(to_log_line(entry));
    return out;
}

vpnse::Result<service::EventBus::Subscription> ServiceApi::subscribe(
    const Caller& /*caller*/, const std::vector<protocol::Topic>& topics, EventSink sink) {
    if (auto allowed = authorize_read(Call::events_subscribe); !allowed)
        return allowed.error();
    service::EventHandlers handlers;
    for (auto topic : topics) {
        switch (topic) {
            case protocol::Topic::state:
                if (!sink.on_state)
                    break;
                handlers.on_state = [on_state = sink.on_state](const service::StateEvent& event) {
                    on_state(protocol::StateChange{event.name, event.state,
                                                   event.error ? std::optional(event.error) : std::nullopt,
                                                   event.since});
                };
                break;
            case protocol::Topic::stats:
                if (!sink.on_stats)
                    break;
                handlers.on_stats = [on_stats = sink.on_stats,
                                     &tunnels = context_.tunnels](const service::StatsTick&) {
                    std::vector<protocol::TunnelStatus> running;
                    for (const auto& report : tunnels.reports())
                        if (report.snapshot)
                            running.push_back(to_status(report));
                    if (!running.empty())
                        on_stats(running);
                };
                break;
            case protocol::Topic::log:
                if (!sink.on_log)
                    break;
                handlers.on_log = [on_log = sink.on_log](const service::LogEntry& entry) {
                    on_log(to_log_line(entry));
                };
                break;
            case protocol::Topic::profiles:
                if (!sink.on_profiles)
                    break;
                handlers.on_profiles = [on_profiles = sink.on_profiles](const service::ProfilesEvent& event) {
                    on_profiles(protocol::ProfilesChange{event.added, event.removed, event.changed});
                };
                break;
        }
    }
    return context_.bus.subscribe(std::move(handlers));
}

}  // namespace vpnsed::api
