#pragma once
// Hello, login, welcome and additional_connect PACKs (softether-protocol.md 4.2, 8, 9, 11.1).
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "proto/pack.hpp"
#include "proto/sha0.hpp"
#include "vpnse/ip.hpp"
#include "vpnse/result.hpp"

namespace vpnse::proto {

enum class AuthType : std::uint32_t {
    anonymous = 0,
    password = 1,
    plain_password = 2,
    certificate = 3,
    ticket = 99
};

struct ClientIdentity {
    // Must not contain "server" or "bridge" (8.3: the server would force bridge/routing mode).
    std::string client_str = "vpnse";
    std::uint32_t client_ver = 100;
    std::uint32_t client_build = 1;
    std::array<std::uint8_t, 20> unique_id{};
    std::string hostname;
    std::string os_name = "Linux";
    std::string os_version;
};

// The UDP acceleration offer in the login (softether-protocol-advanced.md 1.2).
struct UdpAccelOffer {
    // 0.0.0.0 or ::: "use the TCP peer address". Same family as the TCP connection: a 5.01 server given
    // the other one accepts the offer but never polls its socket (1.3).
    IpAddress client_ip;
    std::uint16_t client_port = 0;           // the UDP socket, already bound
    std::array<std::uint8_t, 20> key_v1{};   // secret: never log
    std::array<std::uint8_t, 128> key_v2{};  // secret: never log
    std::uint32_t max_version = 2;
};

// The welcome's answer (1.3), present only when the server accepted the offer.
struct UdpAccelAnswer {
    std::uint32_t version = 1;
    IpAddress server_ip;  // 0.0.0.0 or ::: "use the TCP peer"
    std::uint16_t server_port = 0;
    std::array<std::uint8_t, 20> key_v1{};   // secret; all zero when missing or the wrong size (1.2)
    std::array<std::uint8_t, 128> key_v2{};  // secret; likewise
    std::uint32_t server_cookie = 0;         // what the client puts in every datagram
    std::uint32_t client_cookie = 0;         // what the server puts in every datagram
    bool use_encryption = true;
    bool fast_detect = false;
};

struct LoginRequest {
    std::string hub;
    std::string username;
    AuthType auth = AuthType::password;
    std::optional<Sha0Digest> password_hash;  // AuthType::password
    std::string plain_password;               // AuthType::plain_password; never logged
    // AuthType::certificate (softether-protocol-advanced.md 2.1): the client certificate (DER) and the
    // signature of the hello's 20-byte random, made by whoever holds the key (tls/client_credential).
    Bytes certificate_der;
    std::function<Result<Bytes>(ByteSpan random)> sign_random;
    std::array<std::uint8_t, 20> ticket{};  // AuthType::ticket: from a cluster redirect; secret, never logged
    std::uint32_t max_connection = 1;
    bool use_encrypt = true;
    bool use_compress = false;
    bool half_connection = false;
    std::optional<UdpAccelOffer> udp_accel;  // absent: the login asks for no UDP acceleration
    ClientIdentity identity;
};

struct Hello {
    std::string server_str;
    std::uint32_t version = 0;
    std::uint32_t build = 0;
    std::array<std::uint8_t, 20> random{};
};

Result<Hello> parse_hello(const Pack& pack);
Result<Pack> build_login_pack(const LoginRequest& request, const Hello& hello);

struct Policy {
    std::uint32_t max_connection = 0;
    std::uint32_t timeout_s = 0;
    std::uint32_t auto_disconnect_s = 0;
    std::uint32_t vlan_id = 0;
    bool no_save_password = false;
};

struct Welcome {
    std::string session_name;
    std::string connection_name;
    std::array<std::uint8_t, 20> session_key{};  // secret: never log
    std::uint32_t max_connection = 1;
    bool use_encrypt = false;
    bool use_compress = false;
    bool half_connection = false;
    std::uint32_t timeout_ms = 20000;  // clamped to 5000..60000 (10.3)
    bool qos = false;
    std::string message;  // the hub's message (UTF-8), may be empty
    Policy policy;
    std::optional<UdpAccelAnswer> udp_accel;  // only when the server accepted it and the answer is usable
};

// The UDP fields of a welcome: nullopt unless use_udp_acceleration=1, the server IP element is there
// (IPv4), the port is not 0 and both cookies are not 0 (1.3).
std::optional<UdpAccelAnswer> parse_udp_accel_answer(const Pack& pack);

struct Redirect {
    std::array<std::uint8_t, 4> ip{};
    std::vector<std::uint16_t> ports;
    std::array<std::uint8_t, 20> ticket{};
    Bytes cert;
};

using LoginReply = std::variant<Welcome, Redirect>;

// A master server's keep-busy PACK (6.3): skip it and read the next one.
bool is_noop(const Pack& pack);
// error ≠ 0 → the mapped vpnse::Error with a message naming user and hub; then redirect; then welcome.
Result<LoginReply> parse_login_reply(const Pack& pack, std::string_view username, std::string_view hub);

Pack build_additional_connect_pack(const std::array<std::uint8_t, 20>& session_key,
                                   const ClientIdentity& identity);
enum class Direction { both = 0, server_to_client = 1, client_to_server = 2 };
Result<Direction> parse_additional_connect_reply(const Pack& pack);

}  // namespace vpnse::proto
