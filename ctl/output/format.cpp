#include "output/format.hpp"

#include <cstdio>
#include <ctime>

namespace vpnsectl {

using vpnsed::protocol::TunnelStatus;

std::string format_bytes(std::uint64_t bytes) {
    static const char* const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1000.0 && unit < 5) {
        value /= 1000.0;
        ++unit;
    }
    char text[32];
    if (unit == 0)
        std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
    else
        std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

std::string format_duration(std::uint64_t seconds) {
    char text[32];
    if (seconds < 60)
        std::snprintf(text, sizeof text, "%llus", static_cast<unsigned long long>(seconds));
    else if (seconds < 3600)
        std::snprintf(text, sizeof text, "%llum%02llus", static_cast<unsigned long long>(seconds / 60),
                      static_cast<unsigned long long>(seconds % 60));
    else if (seconds < 86400)
        std::snprintf(text, sizeof text, "%lluh%02llum", static_cast<unsigned long long>(seconds / 3600),
                      static_cast<unsigned long long>(seconds % 3600 / 60));
    else
        std::snprintf(text, sizeof text, "%llud%02lluh", static_cast<unsigned long long>(seconds / 86400),
                      static_cast<unsigned long long>(seconds % 86400 / 3600));
    return text;
}

std::string status_line(const TunnelStatus& s) {
    std::string line = s.name + "  " + std::string(vpnsed::protocol::state_to_wire(s.state));
    if (!s.address.empty())
        line += "  " + s.address + "/" + std::to_string(s.prefix_length);
    if (s.state == vpnse::TunnelState::established)
        line += "  up " + format_duration(s.uptime_s) + "  \u2191" + format_bytes(s.bytes_out) + " \u2193" +
                format_bytes(s.bytes_in);
    if (s.last_error && s.state != vpnse::TunnelState::established)
        line += "  (" + s.last_error->message() + ")";
    return line;
}

std::string status_detail(const TunnelStatus& s) {
    std::string out;
    auto row = [&](const char* key, const std::string& value) {
        if (!value.empty())
            out += std::string("  ") + key + std::string(14 - std::string(key).size(), ' ') + value + "\n";
    };
    out += s.name + ": " + std::string(vpnsed::protocol::state_to_wire(s.state)) + "\n";
    row("server", s.server);
    row("hub", s.hub);
    row("user", s.user);
    row("session", s.session_name);
    row("tls", s.tls);
    row("fingerprint", s.server_fingerprint);
    row("version", s.server_version);
    if (!s.address.empty())
        row("address", s.address + "/" + std::to_string(s.prefix_length));
    row("gateway", s.gateway);
    for (const auto& route : s.routes)
        row("route", route);
    for (const auto& dns : s.dns)
        row("dns", dns);
    if (s.state == vpnse::TunnelState::established) {
        row("connections", std::to_string(s.connections));
        if (s.udp_supported) {
            row("data path", s.data_path + " (UDP acceleration v" + std::to_string(s.udp_version) + ", " +
                                 std::to_string(s.udp_datagrams_out) + " datagrams sent, " +
                                 std::to_string(s.udp_datagrams_in) + " received, " +
                                 std::to_string(s.udp_fallbacks) + " fallbacks to TCP)");
        } else if (!s.data_path.empty()) {
            row("data path", s.data_path);
        }
        row("uptime", format_duration(s.uptime_s));
        row("sent", format_bytes(s.bytes_out) + " (" + std::to_string(s.packets_out) + " packets)");
        row("received", format_bytes(s.bytes_in) + " (" + std::to_string(s.packets_in) + " packets)");
    }
    if (s.since > 0) {
        std::time_t since = static_cast<std::time_t>(s.since);
        char text[64];
        std::tm local{};
        localtime_r(&since, &local);
        std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
        row("since", text);
    }
    if (s.last_error)
        row("last error",
            s.last_error->message() + " [" + std::string(vpnse::error_code_name(s.last_error->code())) + "]");
    return out;
}

std::string log_line(const vpnsed::protocol::LogLine& line) {
    std::time_t seconds = static_cast<std::time_t>(line.time_ms / 1000);
    std::tm local{};
    localtime_r(&seconds, &local);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%H:%M:%S", &local);
    std::string out = std::string(stamp) + " " + std::string(vpnse::log_level_name(line.level)) + " " +
                      line.component + ": " + line.message;
    for (const auto& field : line.fields)
        out += " " + field.key + "=" + field.value;
    return out;
}

std::string event_line(const nlohmann::json& notification) {
    const auto method = notification.value("method", std::string());
    const auto& params = notification.contains("params") ? notification["params"] : nlohmann::json::object();
    try {
        if (method == "event.state") {
            std::string out =
                "state  " + params.value("name", std::string()) + "  " + params.value("state", std::string());
            if (params.contains("last_error") && params["last_error"].is_object())
                out += "  (" + params["last_error"].value("message", std::string()) + ")";
            return out;
        }
        if (method == "event.stats") {
            std::string out;
            for (const auto& tunnel : params.at("tunnels")) {
                if (!out.empty())
                    out += "\n";
                out += "stats  " + status_line(tunnel.get<TunnelStatus>());
            }
            return out;
        }
        if (method == "event.log")
            return "log    " + log_line(params.get<vpnsed::protocol::LogLine>());
    } catch (const nlohmann::json::exception&) {
    }
    return notification.dump();
}

namespace {

// A JSON scalar or array as a TOML value: strings, numbers and booleans are spelled the same way.
std::string toml_value(const nlohmann::json& value) {
    if (!value.is_array())
        return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string out = "[";
    for (const auto& item : value)
        out += (out.size() > 1 ? ", " : "") + toml_value(item);
    return out + "]";
}

}  // namespace

std::string profile_text(const nlohmann::json& profile) {
    std::string out = "# profile " + profile.value("name", std::string()) + "\n";
    for (const auto& [key, value] : profile.items())
        if (!value.is_object() && key != "name")
            out += key + " = " + toml_value(value) + "\n";
    for (const auto& [section, values] : profile.items()) {
        if (!values.is_object())
            continue;
        out += "\n[" + section + "]\n";
        for (const auto& [key, value] : values.items())
            out += key + " = " + toml_value(value) + "\n";
    }
    return out;
}

}  // namespace vpnsectl
