#include "protocol/messages.hpp"

#include <array>
#include <cstdio>

#include "protocol/param_reader.hpp"

namespace vpnsed::protocol {
namespace {

constexpr std::array kStates{
    vpnse::TunnelState::disconnected, vpnse::TunnelState::connecting,  vpnse::TunnelState::authenticating,
    vpnse::TunnelState::configuring,  vpnse::TunnelState::established, vpnse::TunnelState::reconnecting,
};

template <class T>
vpnse::Result<T> finish(ParamReader& reader, T value) {
    if (auto error = reader.finish())
        return error;
    return value;
}

template <class T>
T get_or(const json& in, const char* key, T fallback) {
    auto it = in.find(key);
    if (it == in.end() || it->is_null())
        return fallback;
    return it->get<T>();
}

}  // namespace

std::string_view state_to_wire(vpnse::TunnelState state) noexcept {
    return vpnse::tunnel_state_name(state);
}

std::optional<vpnse::TunnelState> state_from_wire(std::string_view name) noexcept {
    for (auto state : kStates)
        if (state_to_wire(state) == name)
            return state;
    return std::nullopt;
}

vpnse::Result<ConnectParams> parse_connect_params(const json& params) {
    ParamReader reader(params);
    ConnectParams out;
    reader.require("name");
    out.name = reader.string("name").value_or("");
    out.wait = reader.boolean("wait").value_or(false);
    out.timeout_ms = static_cast<std::uint32_t>(
        reader.unsigned_integer("timeout_ms", 1, kMaxConnectTimeoutMs).value_or(60'000));
    return finish(reader, std::move(out));
}

json to_params(const ConnectParams& params) {
    return {{"name", params.name}, {"wait", params.wait}, {"timeout_ms", params.timeout_ms}};
}

vpnse::Result<DisconnectParams> parse_disconnect_params(const json& params) {
    ParamReader reader(params);
    DisconnectParams out;
    auto name = reader.string("name");
    out.all = reader.boolean("all").value_or(false);
    if (name && out.all)
        reader.fail("all", "cannot be combined with name");
    else if (!name && !out.all)
        reader.fail("name", "is required (or all: true)");
    out.name = name.value_or("");
    return finish(reader, std::move(out));
}

vpnse::Result<NameParams> parse_name_params(const json& params, bool required) {
    ParamReader reader(params);
    if (required)
        reader.require("name");
    NameParams out;
    out.name = reader.string("name");
    return finish(reader, std::move(out));
}

std::string_view topic_name(Topic topic) noexcept {
    switch (topic) {
        case Topic::state:
            return "state";
        case Topic::stats:
            return "stats";
        case Topic::log:
            return "log";
        case Topic::profiles:
            return "profiles";
    }
    return "state";
}

vpnse::Result<SubscribeParams> parse_subscribe_params(const json& params) {
    ParamReader reader(params);
    SubscribeParams out;
    auto topics = reader.string_array("topics");
    if (!topics) {
        out.topics = {Topic::state, Topic::stats, Topic::log};
    } else {
        for (const auto& name : *topics) {
            if (name == "state")
                out.topics.push_back(Topic::state);
            else if (name == "stats")
                out.topics.push_back(Topic::stats);
            else if (name == "log")
                out.topics.push_back(Topic::log);
            else if (name == "profiles")
                out.topics.push_back(Topic::profiles);
            else
                reader.fail("topics",
                            "unknown topic \"" + name + "\" (expected state, stats, log or profiles)");
        }
        if (topics->empty())
            reader.fail("topics", "must name at least one topic");
    }
    return finish(reader, std::move(out));
}

vpnse::Result<LogsParams> parse_logs_params(const json& params) {
    ParamReader reader(params);
    LogsParams out;
    out.lines = static_cast<std::uint32_t>(reader.unsigned_integer("lines", 1, kMaxLogLines).value_or(100));
    return finish(reader, std::move(out));
}

vpnse::Status parse_no_params(const json& params) {
    ParamReader reader(params);
    if (auto error = reader.finish())
        return error;
    return {};
}

json error_object(const vpnse::Error& error) {
    return {{"code", static_cast<int>(error.code())},
            {"name", vpnse::error_code_name(error.code())},
            {"message", error.message()}};
}

vpnse::Error error_from_object(const json& object) {
    const auto code = static_cast<vpnse::ErrorCode>(get_or<int>(object, "code", 1012));
    return vpnse::Error(code, get_or<std::string>(object, "message", ""));
}

void to_json(json& out, const TunnelStatus& s) {
    out = json{{"name", s.name},
               {"state", state_to_wire(s.state)},
               {"last_error", s.last_error ? error_object(*s.last_error) : json(nullptr)},
               {"server", s.server},
               {"hub", s.hub},
               {"user", s.user},
               {"session_name", s.session_name},
               {"server_version", s.server_version},
               {"tls", s.tls},
               {"server_fingerprint", s.server_fingerprint},
               {"address", s.address},
               {"prefix_length", s.prefix_length},
               {"gateway", s.gateway},
               {"routes", s.routes},
               {"dns", s.dns},
               {"connections", s.connections},
               {"upload_connections", s.upload_connections},
               {"download_connections", s.download_connections},
               {"encrypted", s.encrypted},
               {"compressed", s.compressed},
               {"half_connection", s.half_connection},
               {"data_path", s.data_path},
               {"udp_supported", s.udp_supported},
               {"udp_version", s.udp_version},
               {"udp_fallbacks", s.udp_fallbacks},
               {"udp_datagrams_in", s.udp_datagrams_in},
               {"udp_datagrams_out", s.udp_datagrams_out},
               {"udp_frames_in", s.udp_frames_in},
               {"udp_frames_out", s.udp_frames_out},
               {"udp_dropped", s.udp_dropped},
               {"bytes_in", s.bytes_in},
               {"bytes_out", s.bytes_out},
               {"packets_in", s.packets_in},
               {"packets_out", s.packets_out},
               {"uptime_s", s.uptime_s},
               {"since", s.since}};
}

void from_json(const json& in, TunnelStatus& s) {
    s.name = in.at("name").get<std::string>();
    s.state = state_from_wire(in.at("state").get<std::string>()).value_or(vpnse::TunnelState::disconnected);
    if (auto it = in.find("last_error"); it != in.end() && it->is_object())
        s.last_error = error_from_object(*it);
    s.server = get_or<std::string>(in, "server", "");
    s.hub = get_or<std::string>(in, "hub", "");
    s.user = get_or<std::string>(in, "user", "");
    s.session_name = get_or<std::string>(in, "session_name", "");
    s.server_version = get_or<std::string>(in, "server_version", "");
    s.tls = get_or<std::string>(in, "tls", "");
    s.server_fingerprint = get_or<std::string>(in, "server_fingerprint", "");
    s.address = get_or<std::string>(in, "address", "");
    s.prefix_length = get_or<std::uint32_t>(in, "prefix_length", 0);
    s.gateway = get_or<std::string>(in, "gateway", "");
    s.routes = get_or<std::vector<std::string>>(in, "routes", {});
    s.dns = get_or<std::vector<std::string>>(in, "dns", {});
    s.connections = get_or<std::uint32_t>(in, "connections", 0);
    s.upload_connections = get_or<std::uint32_t>(in, "upload_connections", 0);
    s.download_connections = get_or<std::uint32_t>(in, "download_connections", 0);
    s.encrypted = get_or<bool>(in, "encrypted", false);
    s.compressed = get_or<bool>(in, "compressed", false);
    s.half_connection = get_or<bool>(in, "half_connection", false);
    s.data_path = get_or<std::string>(in, "data_path", "");
    s.udp_supported = get_or<bool>(in, "udp_supported", false);
    s.udp_version = get_or<std::uint32_t>(in, "udp_version", 0);
    s.udp_fallbacks = get_or<std::uint32_t>(in, "udp_fallbacks", 0);
    s.udp_datagrams_in = get_or<std::uint64_t>(in, "udp_datagrams_in", 0);
    s.udp_datagrams_out = get_or<std::uint64_t>(in, "udp_datagrams_out", 0);
    s.udp_frames_in = get_or<std::uint64_t>(in, "udp_frames_in", 0);
    s.udp_frames_out = get_or<std::uint64_t>(in, "udp_frames_out", 0);
    s.udp_dropped = get_or<std::uint64_t>(in, "udp_dropped", 0);
    s.bytes_in = get_or<std::uint64_t>(in, "bytes_in", 0);
    s.bytes_out = get_or<std::uint64_t>(in, "bytes_out", 0);
    s.packets_in = get_or<std::uint64_t>(in, "packets_in", 0);
    s.packets_out = get_or<std::uint64_t>(in, "packets_out", 0);
    s.uptime_s = get_or<std::uint64_t>(in, "uptime_s", 0);
    s.since = get_or<std::int64_t>(in, "since", 0);
}

void to_json(json& out, const ProfileSummary& p) {
    out = json{{"name", p.name},
               {"host", p.host},
               {"port", p.port},
               {"hub", p.hub},
               {"user", p.user},
               {"autoconnect", p.autoconnect},
               {"state", state_to_wire(p.state)}};
}

void from_json(const json& in, ProfileSummary& p) {
    p.name = in.at("name").get<std::string>();
    p.host = get_or<std::string>(in, "host", "");
    p.port = get_or<std::uint32_t>(in, "port", 0);
    p.hub = get_or<std::string>(in, "hub", "");
    p.user = get_or<std::string>(in, "user", "");
    p.autoconnect = get_or<bool>(in, "autoconnect", false);
    p.state =
        state_from_wire(get_or<std::string>(in, "state", "")).value_or(vpnse::TunnelState::disconnected);
}

void to_json(json& out, const ProfileLoadError& e) {
    out = json{{"file", e.file}, {"message", e.message}};
}
void from_json(const json& in, ProfileLoadError& e) {
    e.file = get_or<std::string>(in, "file", "");
    e.message = get_or<std::string>(in, "message", "");
}

void to_json(json& out, const LogLine& line) {
    json fields = json::object();
    for (const auto& field : line.fields)
        fields[field.key] = field.value;
    out = json{{"time_ms", line.time_ms},
               {"level", vpnse::log_level_name(line.level)},
               {"component", line.component},
               {"message", line.message},
               {"fields", std::move(fields)}};
}

void from_json(const json& in, LogLine& line) {
    line.time_ms = get_or<std::int64_t>(in, "time_ms", 0);
    vpnse::parse_log_level(get_or<std::string>(in, "level", "info"), line.level);
    line.component = get_or<std::string>(in, "component", "");
    line.message = get_or<std::string>(in, "message", "");
    line.fields.clear();
    if (auto it = in.find("fields"); it != in.end() && it->is_object()) {
        for (const auto& [key, value] : it->items())
            line.fields.push_back({key, value.is_string() ? value.get<std::string>() : value.dump()});
    }
}

json profile_to_json(const ProfileView& view) {
    const auto& p = view.settings;
    const auto method = vpnse::auth_method_name(p.auth_method);
    const auto verify = vpnse::tls_verify_name(p.tls_verify);
    const std::string fingerprint = p.tls_verify == vpnse::TlsVerify::fingerprint
                                        ? vpnse::fingerprint_text(p.pinned_sha256)
                                        : std::string();
    const auto proxy_type = vpnse::proxy_type_name(p.proxy_type);
    return {
        {"name", p.name},
        {"autoconnect", p.autoconnect},
        {"server", {{"host", p.host}, {"port", p.port}, {"hub", p.hub}}},
        // Secrets never leave the daemon: only whether one is configured.
        {"auth",
         {{"method", method},
          {"username", p.username},
          {"has_password", view.has_password},
          {"has_password_hash", view.has_password_hash},
          {"cert_file", p.cert_file},
          {"key_file", p.key_file}}},
        {"proxy",
         {{"type", proxy_type},
          {"host", p.proxy_host},
          {"port", p.proxy_port},
          {"username", p.proxy_username},
          {"has_password", view.has_proxy_password}}},
        {"tls",
         {{"verify", verify},
          {"fingerprint", fingerprint},
          {"ca_file", p.ca_file},
          {"sni", p.sni},
          {"check_hostname", p.check_hostname}}},
        {"session",
         {{"max_connections", p.max_connections},
          {"half_connection", p.half_connection},
          {"encrypt", p.use_encrypt},
          {"allow_unencrypted", p.allow_unencrypted},
          {"compression", p.compression},
          {"udp_acceleration", p.udp_acceleration}}},
        {"network",
         {{"routes", vpnse::route_mode_name(p.route_mode)},
          {"include", p.include_routes},
          {"exclude", p.exclude_routes},
          {"dns", p.dns},
          {"kill_switch", p.kill_switch},
          {"mtu", p.mtu},
          {"ipv6", p.ipv6},
          {"mac", p.mac}}},
        {"reconnect",
         {{"enabled", p.reconnect},
          {"initial_delay_ms", p.reconnect_initial_ms},
          {"max_delay_ms", p.reconnect_max_ms}}},
    };
}

void to_json(json& out, const VersionInfo& info) {
    out = {{"name", info.name}, {"version", info.version}, {"protocol", info.protocol}};
}

void to_json(json& out, const ReloadResult& result) {
    out = {{"added", result.added},
           {"removed", result.removed},
           {"changed", result.changed},
           {"unchanged", result.unchanged},
           {"errors", result.errors}};
}

void to_json(json& out, const ProfileList& list) {
    out = {{"profiles", list.profiles}, {"errors", list.errors}};
}

vpnse::Result<ImportParams> parse_import_params(const json& params) {
    ParamReader reader(params);
    ImportParams out;
    reader.require("content");
    out.content = reader.string("content").value_or("");
    out.name = reader.string("name").value_or("");
    out.format = reader.string("format").value_or("");
    out.replace = reader.boolean("replace").value_or(false);
    return finish(reader, std::move(out));
}

json to_params(const ImportParams& params) {
    json out = {{"content", params.content}, {"replace", params.replace}};
    if (!params.name.empty())
        out["name"] = params.name;
    if (!params.format.empty())
        out["format"] = params.format;
    return out;
}

void to_json(json& out, const ImportResult& result) {
    out = {{"name", result.name}, {"notes", result.notes}};
}

void to_json(json& out, const RemoveResult& result) {
    out = {{"name", result.name}, {"files", result.files}};
}

void to_json(json& out, const ProfilesChange& change) {
    out = {{"added", change.added}, {"removed", change.removed}, {"changed", change.changed}};
}

void to_json(json& out, const StateChange& change) {
    out = {{"name", change.name},
           {"state", state_to_wire(change.state)},
           {"last_error", change.last_error ? error_object(*change.last_error) : json(nullptr)},
           {"since", change.since}};
}

}  // namespace vpnsed::protocol
