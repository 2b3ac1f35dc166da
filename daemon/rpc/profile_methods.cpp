// profiles.list, profiles.get, profiles.reload
#include "protocol/messages.hpp"
#include "protocol/methods.hpp"
#include "rpc/dispatcher.hpp"
#include "rpc/status_view.hpp"

namespace vpnsed::rpc {

using nlohmann::json;
namespace method = protocol::method;

namespace {
json load_errors(const std::vector<service::ProfileLoadError>& errors) {
    json out = json::array();
    for (const auto& error : errors)
        out.push_back(protocol::ProfileLoadError{error.file, error.message});
    return out;
}
}  // namespace

void add_profile_methods(MethodTable& table, DispatchContext& context) {
    table[std::string(method::kProfilesList)] = {
        [&context](const protocol::Request& request, Peer&, const Responder& respond) {
            if (auto status = protocol::parse_no_params(request.params); !status)
                return respond.invalid_params(status.error());
            json profiles = json::array();
            for (const auto& report : context.tunnels.reports())
                profiles.push_back(to_summary(report));
            respond.result(
                {{"profiles", std::move(profiles)}, {"errors", load_errors(context.tunnels.load_errors())}});
        }};
    table[std::string(method::kProfilesGet)] = {
        [&context](const protocol::Request& request, Peer&, const Responder& respond) {
            auto params = protocol::parse_name_params(request.params, true);
            if (!params)
                return respond.invalid_params(params.error());
            const auto* profile = context.tunnels.profile(*params->name);
            if (!profile)
                return respond.error(
                    vpnse::Error(vpnse::ErrorCode::not_found, "no profile named " + *params->name));
            respond.result({{"profile", protocol::profile_to_json(*profile)}});
        }};
    table[std::string(method::kProfilesReload)] = {
        [&context](const protocol::Request& request, Peer&, const Responder& respond) {
            if (auto status = protocol::parse_no_params(request.params); !status)
                return respond.invalid_params(status.error());
            context.logger.info("reloading profiles (requested over the control socket)");
            auto report = context.tunnels.reload();
            respond.result({{"added", report.added},
                            {"removed", report.removed},
                            {"changed", report.changed},
                            {"unchanged", report.unchanged},
                            {"errors", load_errors(report.errors)}});
        },
        true};
}

}  // namespace vpnsed::rpc
