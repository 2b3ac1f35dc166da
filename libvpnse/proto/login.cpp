#include "proto/login.hpp"

#include <algorithm>

#include "proto/password.hpp"

namespace vpnse::proto {
namespace {

// Node-info ints travel byte-swapped (8.3).
std::uint32_t swap32(std::uint32_t v) {
    return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >> 8) & 0xff00) | (v >> 24);
}

void add_identity(Pack& pack, const ClientIdentity& id) {
    pack.set_str("client_str", id.client_str);
    pack.set_int("client_ver", id.client_ver);
    pack.set_int("client_build", id.client_build);
}

std::string describe_failure(ErrorCode code, std::string_view username, std::string_view hub) {
    const std::string user(username), hub_name(hub);
    switch (code) {
        case ErrorCode::auth_failed:
            return "authentication failed for user " + user + " on hub " + hub_name;
        case ErrorCode::hub_not_found:
            return "hub " + hub_name + " does not exist on the server";
        case ErrorCode::access_denied:
            return "access denied for user " + user + " on hub " + hub_name;
        case ErrorCode::hub_stopping:
            return "hub " + hub_name + " is offline";
        case ErrorCode::too_many_user_sessions:
            return "user " + user + " has too many concurrent sessions";
        case ErrorCode::authtype_not_supported:
            return "hub " + hub_name + " does not accept this authentication method for user " + user;
        default:
            return std::string(error_code_description(code)) + " (user " + user + ", hub " + hub_name + ")";
    }
}

}  // namespace

Result<Hello> parse_hello(const Pack& pack) {
    if (auto error = pack.get_int("error"); error && *error != 0) {
        const auto code = error_code_from_softether(*error);
        return Error(code, "the server refused the connection: " + std::string(error_code_description(code)) +
                               " (SoftEther error " + std::to_string(*error) + ")");
    }
    auto hello_str = pack.get_str("hello");
    auto random = pack.get_data("random");
    if (!hello_str)
        return Error(ErrorCode::server_not_vpn, "the server's hello has no 'hello' string");
    if (!random || random->size() != 20) {
        return Error(ErrorCode::server_not_vpn, "the server's hello has no 20-byte random");
    }
    Hello hello;
    hello.server_str = std::string(*hello_str);
    hello.version = pack.get_int("version").value_or(0);
    hello.build = pack.get_int("build").value_or(0);
    std::copy(random->begin(), random->end(), hello.random.begin());
    return hello;
}

Result<Pack> build_login_pack(const LoginRequest& request, const Hello& hello) {
    if (request.hub.empty())
        return Error(ErrorCode::invalid_argument, "login: hub name is empty");
    if (request.username.empty())
        return Error(ErrorCode::invalid_argument, "login: user name is empty");
    Pack pack;
    pack.set_str("method", "login");
    pack.set_str("hubname", request.hub);
    pack.set_str("username", request.username);
    pack.set_int("authtype", static_cast<std::uint32_t>(request.auth));
    switch (request.auth) {
        case AuthType::anonymous:
            break;
        case AuthType::password:
            if (!request.password_hash)
                return Error(ErrorCode::invalid_argument, "login: password hash missing");
            pack.set_data("secure_password", secure_password(*request.password_hash, hello.random));
            break;
        case AuthType::plain_password:
            pack.set_str("plain_password", request.plain_password);
            break;
        case AuthType::certificate: {
            // Advanced doc 2.1: one DER certificate of 1..100000 bytes, and the signature over the
            // hello random only (2.2).
            if (request.certificate_der.empty() || request.certificate_der.size() > 100000 ||
                !request.sign_random)
                return Error(ErrorCode::invalid_argument, "login: client certificate missing or too large");
            auto signature = request.sign_random(hello.random);
            if (!signature)
                return std::move(signature).error();
            pack.set_data("cert", request.certificate_der);
            pack.set_data("sign", *signature);
            break;
        }
        case AuthType::ticket:
            // After a cluster redirect (softether-protocol.md 12): the member checks the ticket the
            // controller left for this user; no password is sent.
            pack.set_data("ticket", request.ticket);
            break;
        default:
            return Error(ErrorCode::not_supported, "login: authentication type not supported");
    }
    const auto& id = request.identity;
    add_identity(pack, id);
    pack.set_str("hello", id.client_str);
    pack.set_int("version", id.client_ver);
    pack.set_int("build", id.client_build);
    pack.set_int("protocol", 0);
    pack.set_int("client_id", 0);
    pack.set_int("max_connection", std::clamp<std::uint32_t>(request.max_connection, 1, 32));
    pack.set_bool("use_encrypt", request.use_encrypt);  // missing would mean a cleartext channel (8.3)
    pack.set_bool("use_compress", request.use_compress);
    pack.set_bool("half_connection", request.half_connection);
    pack.set_bool("require_bridge_routing_mode", false);
    pack.set_bool("require_monitor_mode", false);
    pack.set_bool("qos", false);
    pack.set_data("unique_id", id.unique_id);
    // Node information, informational for admins (8.3). Never "HubName": it collides with "hubname".
    pack.set_str("ClientProductName", id.client_str);
    pack.set_str("ServerProductName", hello.server_str);
    pack.set_str("ClientOsName", id.os_name);
    pack.set_str("ClientOsVer", id.os_version);
    pack.set_str("ClientOsProductId", "");
    pack.set_str("ClientHostname", id.hostname);
    pack.set_int("ClientProductVer", swap32(id.client_ver));
    pack.set_int("ClientProductBuild", swap32(id.client_build));
    pack.set_int("ServerProductVer", swap32(hello.version));
    pack.set_int("ServerProductBuild", swap32(hello.build));
    pack.set_str("V_Title", id.os_name);
    if (request.udp_accel) {
        const auto& offer = *request.udp_accel;
        pack.set_bool("use_udp_acceleration", true);
        pack.set_int("udp_acceleration_version", 1);  // what the official client sends; the server ignores it
        pack.set_int("udp_acceleration_max_version", offer.max_version);
        pack.set_ip("udp_acceleration_client_ip", offer.client_ip);
        pack.set_int("udp_acceleration_client_port", offer.client_port);
        pack.set_data("udp_acceleration_client_key", offer.key_v1);
        pack.set_data("udp_acceleration_client_key_v2", offer.key_v2);
        pack.set_bool("support_hmac_on_udp_acceleration", true);
        pack.set_bool("support_udp_accel_fast_disconnect_detect", true);
    }
    return pack;
}

std::optional<UdpAccelAnswer> parse_udp_accel_answer(const Pack& pack) {
    if (pack.get_int("use_udp_acceleration").value_or(0) != 1)
        return std::nullopt;
    const auto ip = pack.get_ip("udp_acceleration_server_ip");
    if (!ip)
        return std::nullopt;
    UdpAccelAnswer answer;
    answer.version = std::max<std::uint32_t>(pack.get_int("udp_acceleration_version").value_or(1), 1);
    answer.server_ip = *ip;
    const auto port = pack.get_int("udp_acceleration_server_port").value_or(0);
    answer.server_cookie = pack.get_int("udp_acceleration_server_cookie").value_or(0);
    answer.client_cookie = pack.get_int("udp_acceleration_client_cookie").value_or(0);
    if (port == 0 || port > 65535 || answer.server_cookie == 0 || answer.client_cookie == 0 ||
        answer.version > 2)
        return std::nullopt;
    answer.server_port = static_cast<std::uint16_t>(port);
    if (auto key = pack.get_data("udp_acceleration_server_key"); key && key->size() == answer.key_v1.size())
        std::copy(key->begin(), key->end(), answer.key_v1.begin());
    if (auto key = pack.get_data("udp_acceleration_server_key_v2");
        key && key->size() == answer.key_v2.size())
        std::copy(key->begin(), key->end(), answer.key_v2.begin());
    answer.use_encryption = pack.get_bool("udp_acceleration_use_encryption", true);
    answer.fast_detect = pack.get_bool("udp_accel_fast_disconnect_detect");
    return answer;
}

bool is_noop(const Pack& pack) {
    return pack.get_int("noop").value_or(0) == 2 && pack.get_int("error").value_or(0) == 0;
}

Result<LoginReply> parse_login_reply(const Pack& pack, std::string_view username, std::string_view hub) {
    if (auto error = pack.get_int("error"); error && *error != 0) {
        const auto code = error_code_from_softether(*error);
        std::string message = describe_failure(code, username, hub);
        if (code == ErrorCode::server_error)
            message += " (SoftEther error " + std::to_string(*error) + ")";
        return Error(code, message);
    }
    if (pack.get_int("Redirect").value_or(0) != 0) {
        Redirect redirect;
        // Members are IPv4 (12): an IPv6 form (its int is 0) leaves 0.0.0.0 as before.
        if (const auto ip = pack.get_ip("Ip"); ip && ip->is_v4())
            std::copy_n(ip->bytes().begin(), redirect.ip.size(), redirect.ip.begin());
        for (std::size_t i = 0; i < pack.value_count("Port"); ++i) {
            redirect.ports.push_back(static_cast<std::uint16_t>(pack.get_int("Port", i).value_or(0)));
        }
        auto ticket = pack.get_data("Ticket");
        if (!ticket || ticket->size() != 20)
            return Error(ErrorCode::protocol_error, "redirect without a ticket");
        std::copy(ticket->begin(), ticket->end(), redirect.ticket.begin());
        if (auto cert = pack.get_data("Cert"))
            redirect.cert.assign(cert->begin(), cert->end());
        return LoginReply(std::move(redirect));
    }
    auto session_name = pack.get_str("session_name");
    auto connection_name = pack.get_str("connection_name");
    auto session_key = pack.get_data("session_key");
    if (!session_name || !connection_name || !session_key || session_key->size() != 20) {
        return Error(ErrorCode::protocol_error, "the server's welcome lacks session name or session key");
    }
    Welcome welcome;
    welcome.session_name = std::string(*session_name);
    welcome.connection_name = std::string(*connection_name);
    std::copy(session_key->begin(), session_key->end(), welcome.session_key.begin());
    welcome.max_connection = std::clamp<std::uint32_t>(pack.get_int("max_connection").value_or(1), 1, 32);
    welcome.use_encrypt = pack.get_bool("use_encrypt");
    welcome.use_compress = pack.get_bool("use_compress");
    welcome.half_connection = pack.get_bool("half_connection");
    welcome.timeout_ms = std::clamp<std::uint32_t>(pack.get_int("timeout").value_or(20000), 5000, 60000);
    welcome.qos = pack.get_bool("qos");
    if (auto message = pack.get_data("Msg"))
        welcome.message = std::string(as_text(*message));
    welcome.policy.max_connection = pack.get_int("policy:MaxConnection").value_or(0);
    welcome.policy.timeout_s = pack.get_int("policy:TimeOut").value_or(0);
    welcome.policy.auto_disconnect_s = pack.get_int("policy:AutoDisconnect").value_or(0);
    welcome.policy.vlan_id = pack.get_int("policy:VLanId").value_or(0);
    welcome.policy.no_save_password = pack.get_bool("policy:NoSavePassword");
    welcome.udp_accel = parse_udp_accel_answer(pack);
    return LoginReply(std::move(welcome));
}

Pack build_additional_connect_pack(const std::array<std::uint8_t, 20>& session_key,
                                   const ClientIdentity& identity) {
    Pack pack;
    pack.set_str("method", "additional_connect");
    pack.set_data("session_key", session_key);
    add_identity(pack, identity);
    return pack;
}

Result<Direction> parse_additional_connect_reply(const Pack& pack) {
    if (auto error = pack.get_int("error"); error && *error != 0) {
        const auto code = error_code_from_softether(*error);
        return Error(code, "additional connection refused: " + std::string(error_code_description(code)));
    }
    const auto direction = pack.get_int("direction").value_or(0);
    if (direction > 2)
        return Error(ErrorCode::protocol_error, "unknown connection direction " + std::to_string(direction));
    return static_cast<Direction>(direction);
}

}  // namespace vpnse::proto
