#include "api/service_api.hpp"

#include "api/status_view.hpp"

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

vpnse::Status ServiceApi::authorize(const Caller& caller, Call call) const {
    if (!is_mutating(call) || caller.privileged)
        return {};
    const auto name = std::string(call_info(call).name);
    context_.logger.info("permission denied", {{"method", name}, {"uid", std::to_string(caller.uid)}});
    return Error(ErrorCode::permission_denied,
                 "permission denied: " + name + " requires root or membership in group " + context_.group);
}

vpnse::Result<protocol::VersionInfo> ServiceApi::version(const Caller& caller) const {
    if (auto allowed = authorize(caller, Call::version); !allowed)
        return allowed.error();
    return protocol::VersionInfo{"vpnsed", context_.version, protocol::kProtocolVersion};
}

vpnse::Result<protocol::ProfileList> ServiceApi::list_profiles(const Caller& caller) const {
    if (auto allowed = authorize(caller, Call::profiles_list); !allowed)
        return allowed.error();
    protocol::ProfileList list;
    for (const auto& report : context_.tunnels.reports())
        list.profiles.push_back(to_summary(report));
    list.errors = load_errors(context_.tunnels.load_errors());
    return list;
}

vpnse::Result<protocol::ProfileView> ServiceApi::get_profile(const Caller& caller,
                                                             const std::string& name) const {
    if (auto allowed = authorize(caller, Call::profiles_get); !allowed)
        return allowed.error();
    const auto* profile = context_.tunnels.profile(name);
    if (!profile)
        return Error(ErrorCode::not_found, "no profile named " + name);
    return protocol::without_secrets(*profile);
}

vpnse::Result<protocol::ReloadResult> ServiceApi::reload_profiles(const Caller& caller) {
    if (auto allowed = authorize(caller, Call::profiles_reload); !allowed)
        return allowed.error();
    context_.logger.info("reloading profiles (requested by a client)");
    auto report = context_.tunnels.reload();
    return protocol::ReloadResult{report.added, report.removed, report.changed, report.unchanged,
                                  load_errors(report.errors)};
}

void ServiceApi::connect(const Caller& caller, const protocol::ConnectParams& params,
                         Done<protocol::TunnelStatus> done) {
    if (auto allowed = authorize(caller, Call::tunnels_connect); !allowed)
        return done(allowed.error());
    auto& tunnels = context_.tunnels;
    tunnels.connect(params.name, params.wait, std::chrono::milliseconds(params.timeout_ms),
                    [&tunnels, name = params.name, done = std::move(done)](const vpnse::Status& status) {
                        if (!status)
                            return done(status.error());
                        auto report = tunnels.report(name);
                        if (!report)
                            return done(report.error());
                        done(to_status(*report));
                    });
}

vpnse::Result<std::vector<std::string>> ServiceApi::disconnect(const Caller& caller,
                                                               const protocol::DisconnectParams& params) {
    if (auto allowed = authorize(caller, Call::tunnels_disconnect); !allowed)
        return allowed.error();
    if (params.all)
        return context_.tunnels.disconnect_all();
    if (auto status = context_.tunnels.disconnect(params.name); !status)
        return status.error();
    return std::vector<std::string>{params.name};
}

vpnse::Result<std::vector<protocol::TunnelStatus>> ServiceApi::status(
    const Caller& caller, const std::optional<std::string>& name) const {
    if (auto allowed = authorize(caller, Call::tunnels_status); !allowed)
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

vpnse::Result<std::vector<protocol::ProfileSummary>> ServiceApi::list_tunnels(const Caller& caller) const {
    if (auto allowed = authorize(caller, Call::tunnels_list); !allowed)
        return allowed.error();
    std::vector<protocol::ProfileSummary> out;
    for (const auto& report : context_.tunnels.reports())
        if (report.snapshot || report.state != vpnse::TunnelState::disconnected)
            out.push_back(to_summary(report));
    return out;
}

vpnse::Result<std::vector<protocol::LogLine>> ServiceApi::logs(const Caller& caller,
                                                               std::uint32_t lines) const {
    if (auto allowed = authorize(caller, Call::daemon_logs); !allowed)
        return allowed.error();
    std::vector<protocol::LogLine> out;
    if (context_.logs)
        for (const auto& entry : context_.logs->recent(lines))
            out.push_back(to_log_line(entry));
    return out;
}

vpnse::Result<service::EventBus::Subscription> ServiceApi::subscribe(
    const Caller& caller, const std::vector<protocol::Topic>& topics, EventSink sink) {
    if (auto allowed = authorize(caller, Call::events_subscribe); !allowed)
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
        }
    }
    return context_.bus.subscribe(std::move(handlers));
}

}  // namespace vpnsed::api
