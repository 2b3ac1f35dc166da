// tunnels.connect, tunnels.disconnect, tunnels.status, tunnels.list
#include "protocol/messages.hpp"
#include "protocol/methods.hpp"
#include "rpc/dispatcher.hpp"
#include "rpc/status_view.hpp"

namespace vpnsed::rpc {

using nlohmann::json;
namespace method = protocol::method;

void add_tunnel_methods(MethodTable& table, DispatchContext& context) {
    table[std::string(method::kTunnelsConnect)] = {
        [&context](const protocol::Request& request, Peer&, const Responder& respond) {
            auto params = protocol::parse_connect_params(request.params);
            if (!params)
                return respond.invalid_params(params.error());
            const std::string name = params->name;
            context.tunnels.connect(name, params->wait, std::chrono::milliseconds(params->timeout_ms),
                                    [&context, name, respond](const vpnse::Status& status) {
                                        if (!status)
                                            return respond.error(status.error());
                                        auto report = context.tunnels.report(name);
                                        if (!report)
                                            return respond.error(report.error());
                                        respond.result({{"tunnel", to_status(*report)}});
                                    });
        },
        true};
    table[std::string(method::kTunnelsDisconnect)] = {
        [&context](const protocol::Request& request, Peer&, const Responder& respond) {
            auto params = protocol::parse_disconnect_params(request.params);
            if (!params)
                return respond.invalid_params(params.error());
            std::vector<std::string> names;
            if (params->all) {
                names = context.tunnels.disconnect_all();
            } else {
                if (auto status = context.tunnels.disconnect(params->name); !status)
                    return respond.error(status.error());
                names.push_back(params->name);
            }
            respond.result({{"disconnected", names}});
        },
        true};
    table[std::string(method::kTunnelsStatus)] = {
        [&context](const protocol::Request& request, Peer&, const Responder& respond) {
            auto params = protocol::parse_name_params(request.params, false);
            if (!params)
                return respond.invalid_params(params.error());
            json tunnels = json::array();
            if (params->name) {
                auto report = context.tunnels.report(*params->name);
                if (!report)
                    return respond.error(report.error());
                tunnels.push_back(to_status(*report));
            } else {
                for (const auto& report : context.tunnels.reports())
                    tunnels.push_back(to_status(report));
            }
            respond.result({{"tunnels", std::move(tunnels)}});
        }};
    table[std::string(method::kTunnelsList)] = {
        [&context](const protocol::Request& request, Peer&, const Responder& respond) {
            if (auto status = protocol::parse_no_params(request.params); !status)
                return respond.invalid_params(status.error());
            json tunnels = json::array();
            for (const auto& report : context.tunnels.reports())
                if (report.snapshot || report.state != vpnse::TunnelState::disconnected)
                    tunnels.push_back(to_summary(report));
            respond.result({{"tunnels", std::move(tunnels)}});
        }};
}

}  // namespace vpnsed::rpc
