#include "dbus/tunnel_properties.hpp"

#include "protocol/error_mapping.hpp"

namespace vpnsed::dbus {

TunnelProperties to_properties(const protocol::TunnelStatus& status) {
    TunnelProperties out;
    out.name = status.name;
    out.state = std::string(vpnse::tunnel_state_name(status.state));
    if (status.last_error && status.last_error->code() != vpnse::ErrorCode::ok) {
        const auto rpc = protocol::rpc_error_from(*status.last_error);
        out.last_error = {static_cast<std::uint32_t>(rpc.code),
                          std::string(vpnse::error_code_name(status.last_error->code())), rpc.message};
    }
    out.server = status.server;
    out.hub = status.hub;
    out.user = status.user;
    out.address = status.address;
    out.prefix_length = status.prefix_length;
    out.gateway = status.gateway;
    out.routes = status.routes;
    out.dns = status.dns;
    out.tls = status.tls;
    out.server_version = status.server_version;
    out.connections = status.connections;
    out.encrypted = status.encrypted;
    out.compressed = status.compressed;
    out.data_path = status.data_path;
    out.udp_fallbacks = status.udp_fallbacks;
    out.bytes_in = status.bytes_in;
    out.bytes_out = status.bytes_out;
    out.packets_in = status.packets_in;
    out.packets_out = status.packets_out;
    out.since = status.since;
    out.uptime = status.uptime_s;
    return out;
}

std::vector<std::string> changed_properties(const TunnelProperties& before, const TunnelProperties& after) {
    std::vector<std::string> out;
    for_each_property([&](const char* name, auto member) {
        if (!(before.*member == after.*member))
            out.emplace_back(name);
    });
    return out;
}

}  // namespace vpnsed::dbus
