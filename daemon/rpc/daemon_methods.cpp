// version, daemon.logs
#include "protocol/messages.hpp"
#include "protocol/methods.hpp"
#include "rpc/dispatcher.hpp"
#include "rpc/status_view.hpp"

#ifndef VPNSE_VERSION
#define VPNSE_VERSION "0.0.0"
#endif

namespace vpnsed::rpc {

using nlohmann::json;
namespace method = protocol::method;

void add_daemon_methods(MethodTable& table, DispatchContext& context) {
    table[std::string(method::kVersion)] = {
        [](const protocol::Request& request, Peer&, const Responder& respond) {
            if (auto status = protocol::parse_no_params(request.params); !status)
                return respond.invalid_params(status.error());
            respond.result(
                {{"name", "vpnsed"}, {"version", VPNSE_VERSION}, {"protocol", protocol::kProtocolVersion}});
        }};
    table[std::string(method::kDaemonLogs)] = {
        [&context](const protocol::Request& request, Peer&, const Responder& respond) {
            auto params = protocol::parse_logs_params(request.params);
            if (!params)
                return respond.invalid_params(params.error());
            json lines = json::array();
            if (context.logs)
                for (const auto& entry : context.logs->recent(params->lines))
                    lines.push_back(to_log_line(entry));
            respond.result({{"lines", std::move(lines)}});
        }};
}

}  // namespace vpnsed::rpc
