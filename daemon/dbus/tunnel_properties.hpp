#pragma once
// The properties of an org.vpnse.Tunnel1 object, typed as on the bus, from the service API's
// TunnelStatus; and which of them changed between two readings (what PropertiesChanged carries).
// No bus here: the adapter registers getters over a TunnelProperties value.
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "protocol/schema.hpp"

namespace vpnsed::dbus {

struct TunnelProperties {
    std::string name;
    std::string state;                                                            // tunnel_state_name
    std::tuple<std::uint32_t, std::string, std::string> last_error{0, "ok", ""};  // (code, name, message)
    std::string server, hub, user;
    std::string address;
    std::uint32_t prefix_length = 0;
    std::string gateway;
    std::vector<std::string> routes, dns;
    std::string tls, server_version;
    std::uint32_t connections = 0;
    bool encrypted = false, compressed = false;
    std::string data_path;            // "udp" (UDP acceleration) or "tcp"; empty before a session
    std::uint32_t udp_fallbacks = 0;  // times data went back from UDP to TCP
    std::uint64_t bytes_in = 0, bytes_out = 0, packets_in = 0, packets_out = 0;
    std::int64_t since = 0;    // Unix seconds of the last state change
    std::uint64_t uptime = 0;  // seconds established

    bool operator==(const TunnelProperties&) const = default;
};

// Every property with its D-Bus name, in the order of the introspection XML: the one list that
// registration (tunnel_object.cpp) and changed_properties walk.
template <class Visit>
void for_each_property(Visit&& visit) {
    using P = TunnelProperties;
    visit("Name", &P::name);
    visit("State", &P::state);
    visit("LastError", &P::last_error);
    visit("Server", &P::server);
    visit("Hub", &P::hub);
    visit("User", &P::user);
    visit("Address", &P::address);
    visit("PrefixLength", &P::prefix_length);
    visit("Gateway", &P::gateway);
    visit("Routes", &P::routes);
    visit("Dns", &P::dns);
    visit("Tls", &P::tls);
    visit("ServerVersion", &P::server_version);
    visit("Connections", &P::connections);
    visit("Encrypted", &P::encrypted);
    visit("Compressed", &P::compressed);
    visit("DataPath", &P::data_path);
    visit("UdpFallbacks", &P::udp_fallbacks);
    visit("BytesIn", &P::bytes_in);
    visit("BytesOut", &P::bytes_out);
    visit("PacketsIn", &P::packets_in);
    visit("PacketsOut", &P::packets_out);
    visit("Since", &P::since);
    visit("Uptime", &P::uptime);
}

TunnelProperties to_properties(const protocol::TunnelStatus& status);

// The D-Bus names of the properties that differ, in declaration order.
std::vector<std::string> changed_properties(const TunnelProperties& before, const TunnelProperties& after);

}  // namespace vpnsed::dbus
