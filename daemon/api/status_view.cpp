#include "api/status_view.hpp"

namespace vpnsed::api {

protocol::TunnelStatus to_status(const service::TunnelReport& report) {
    protocol::TunnelStatus out;
    const auto& profile = *report.profile;
    out.name = profile.name;
    out.state = report.state;
    if (report.last_error)
        out.last_error = report.last_error;
    out.server = profile.host + ":" + std::to_string(profile.port);
    out.hub = profile.hub;
    out.user = profile.username;
    out.since = report.since;
    if (!report.snapshot)
        return out;
    const auto& snapshot = *report.snapshot;
    const auto& stats = snapshot.stats;
    out.session_name = stats.session_name;
    out.server_version = stats.server_version;
    out.tls = stats.tls;
    out.server_fingerprint = stats.server_fingerprint;
    out.connections = stats.connections;
    out.upload_connections = stats.upload_connections;
    out.download_connections = stats.download_connections;
    out.encrypted = stats.encrypted;
    out.compressed = stats.compressed;
    out.half_connection = stats.half_connection;
    out.data_path = stats.udp.active ? "udp" : "tcp";
    out.udp_supported = stats.udp.supported;
    out.udp_version = stats.udp.version;
    out.udp_fallbacks = stats.udp.fallbacks;
    out.udp_datagrams_in = stats.udp.datagrams_received;
    out.udp_datagrams_out = stats.udp.datagrams_sent;
    out.udp_frames_in = stats.udp.frames_received;
    out.udp_frames_out = stats.udp.frames_sent;
    out.udp_dropped = stats.udp.datagrams_dropped;
    out.bytes_in = stats.bytes_in;
    out.bytes_out = stats.bytes_out;
    out.packets_in = stats.packets_in;
    out.packets_out = stats.packets_out;
    out.uptime_s = static_cast<std::uint64_t>(stats.uptime.count());
    if (snapshot.network) {
        const auto& network = *snapshot.network;
        out.address = network.address.address.to_string();
        out.prefix_length = static_cast<std::uint32_t>(network.address.prefix);
        out.gateway = network.gateway ? network.gateway->to_string() : std::string();
        for (const auto& dns : network.dns)
            out.dns.push_back(dns.to_string());
        for (const auto& route : network.routes)
            out.routes.push_back(route.destination.to_string() +
                                 (route.gateway ? " via " + route.gateway->to_string() : std::string()));
    }
    return out;
}

protocol::ProfileSummary to_summary(const service::TunnelReport& report) {
    protocol::ProfileSummary out;
    out.name = report.profile->name;
    out.host = report.profile->host;
    out.port = report.profile->port;
    out.hub = report.profile->hub;
    out.user = report.profile->username;
    out.autoconnect = report.profile->autoconnect;
    out.state = report.state;
    return out;
}

protocol::LogLine to_log_line(const service::LogEntry& entry) {
    return protocol::LogLine{entry.time_ms, entry.level, entry.component, entry.message, entry.fields};
}

}  // namespace vpnsed::api
