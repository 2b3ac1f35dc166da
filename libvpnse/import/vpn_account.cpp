#include "import/vpn_account.hpp"

#include <algorithm>

#include "core/rc4.hpp"
#include "import/cfg_text.hpp"
#include "profile/profile_parser.hpp"
#include "profile/profile_writer.hpp"
#include "tls/client_credential.hpp"
#include "tls/tls_session.hpp"

namespace vpnse::import {
namespace {

// SoftEther's account-file password obfuscation: RC4 keyed with the first 8 bytes of "EncryptPassword"
// (its code passes sizeof(char*) as the key length); verified against files vpncmd wrote.
std::string decrypt_password(const std::vector<std::uint8_t>& bytes) {
    static constexpr std::uint8_t kKey[] = {'E', 'n', 'c', 'r', 'y', 'p', 't', 'P'};
    std::vector<std::uint8_t> clear = bytes;
    Rc4(kKey).apply(clear);
    std::string out(clear.begin(), clear.end());
    out.erase(std::find(out.begin(), out.end(), '\0'), out.end());
    return out;
}

class Mapper {
  public:
    Mapper(const CfgFolder& root, std::string_view source) : root_(root), source_(source) {}
    Result<VpnAccount> run(std::string_view profile_name);

  private:
    Status map_option(const CfgFolder& option);
    Status map_auth(const CfgFolder& auth);
    void map_server_cert();
    void map_retry(const CfgFolder& option);
    Status map_certificate(const CfgFolder& auth);
    void map_proxy(const CfgFolder& option);
    void note_unused(const CfgFolder& option);

    const CfgValue* need(const CfgFolder& folder, std::string_view folder_name, std::string_view key,
                         CfgValue::Type type, Error& error) const;
    std::uint64_t number(const CfgFolder& folder, std::string_view key, std::uint64_t fallback) const {
        const auto* v = folder.value(key);
        return v && (v->type == CfgValue::uint32 || v->type == CfgValue::uint64) ? v->number : fallback;
    }
    bool flag(const CfgFolder& folder, std::string_view key, bool fallback) const {
        const auto* v = folder.value(key);
        return v && v->type == CfgValue::boolean ? v->flag : fallback;
    }
    std::string text(const CfgFolder& folder, std::string_view key) const {
        const auto* v = folder.value(key);
        return v && v->type == CfgValue::string ? v->text : std::string();
    }
    Error invalid(const std::string& what) const {
        return Error(ErrorCode::config_invalid, std::string(source_) + ": " + what);
    }

    const CfgFolder& root_;
    std::string_view source_;
    VpnAccount out_;
};

const CfgValue* Mapper::need(const CfgFolder& folder, std::string_view folder_name, std::string_view key,
                             CfgValue::Type type, Error& error) const {
    const auto* value = folder.value(key);
    if (!value || value->type != type) {
        error = invalid(std::string(folder_name) + "." + std::string(key) + ": missing or of the wrong type");
        return nullptr;
    }
    return value;
}

Status Mapper::map_option(const CfgFolder& option) {
    Error error;
    const auto* host = need(option, "ClientOption", "Hostname", CfgValue::string, error);
    const auto* hub = need(option, "ClientOption", "HubName", CfgValue::string, error);
    if (!host || !hub)
        return error;
    auto& p = out_.profile;
    p.host = host->text;
    p.hub = hub->text;
    const auto port = number(option, "Port", 443);
    if (port == 0 || port > 65535)
        return invalid("ClientOption.Port: " + std::to_string(port) + " is not a TCP port");
    p.port = static_cast<std::uint16_t>(port);
    p.max_connections =
        static_cast<std::uint32_t>(std::clamp<std::uint64_t>(number(option, "MaxConnection", 1), 1, 32));
    p.half_connection = flag(option, "HalfConnection", false);
    if (p.half_connection && p.max_connections < 2) {
        p.half_connection = false;
        out_.notes.push_back("session.half_connection left off: it needs 2 or more connections");
    }
    p.compression = flag(option, "UseCompress", false);
    p.udp_acceleration = !flag(option, "NoUdpAcceleration", false);
    p.use_encrypt = flag(option, "UseEncrypt", true);
    if (!p.use_encrypt) {
        p.allow_unencrypted = true;
        out_.notes.push_back(
            "session.encrypt = false as in the account: data after the login is not encrypted");
    }
    return {};
}

Status Mapper::map_auth(const CfgFolder& auth) {
    auto& p = out_.profile;
    p.username = text(auth, "Username");
    switch (number(auth, "AuthType", 1)) {
        case 0:
            p.auth_method = AuthMethod::anonymous;
            return {};
        case 1: {
            const auto* hash = auth.value("HashedPassword");
            if (!hash || hash->type != CfgValue::bytes || hash->binary.size() != 20)
                return invalid("ClientAuth.HashedPassword: missing or not a 20-byte hash");
            p.auth_method = AuthMethod::password_hash;
            std::array<std::uint8_t, 20> stored{};
            std::copy(hash->binary.begin(), hash->binary.end(), stored.begin());
            p.password_hash = stored;
            return {};
        }
        case 2: {
            const auto* encrypted = auth.value("EncryptedPassword");
            if (!encrypted || encrypted->type != CfgValue::bytes)
                return invalid("ClientAuth.EncryptedPassword: missing");
            p.auth_method = AuthMethod::plain_password;
            p.password = decrypt_password(encrypted->binary);
            return {};
        }
        case 3:
            return map_certificate(auth);
        case 4:
            return Error(ErrorCode::not_supported,
                         std::string(source_) + ": smart card authentication (AuthType 4) is not supported");
        default:
            return invalid("ClientAuth.AuthType: unknown value " +
                           std::to_string(number(auth, "AuthType", 0)));
    }
}

void Mapper::map_server_cert() {
    auto& p = out_.profile;
    const auto* cert = root_.value("ServerCert");
    if (flag(root_, "CheckServerCert", false) && cert && cert->type == CfgValue::bytes &&
        !cert->binary.empty()) {
        p.tls_verify = TlsVerify::fingerprint;
        p.pinned_sha256 = tls::sha256(cert->binary);
        return;
    }
    p.tls_verify = TlsVerify::insecure;
    out_.notes.push_back(
        "tls.verify = \"insecure\": the account did not check the server certificate; pin it with "
        "tls.verify = \"fingerprint\" (vpnsectl shows the server's fingerprint after a connect)");
}

void Mapper::map_retry(const CfgFolder& option) {
    auto& p = out_.profile;
    p.reconnect = number(option, "NumRetry", 0xffffffff) != 0;
    const auto interval_ms =
        std::clamp<std::uint64_t>(number(option, "RetryInterval", 15) * 1000, 1000, 3'600'000);
    p.reconnect_initial_ms = static_cast<std::uint32_t>(interval_ms);
    p.reconnect_max_ms = std::max(p.reconnect_max_ms, p.reconnect_initial_ms);
    // NumRetry counts the attempts after a session is lost, like reconnect.max_attempts; 0xffffffff (and
    // vpncmd's 999) mean no limit.
    const auto retries = number(option, "NumRetry", 0xffffffff);
    if (retries != 0 && retries != 0xffffffff && retries != 999)
        p.reconnect_max_attempts = static_cast<std::uint32_t>(std::min<std::uint64_t>(retries, 1'000'000));
}

// The account carries the certificate and its key as DER; they are checked here (an EC key, say, is
// refused with the loader's reason) and handed on as bytes for the caller to store as files.
Status Mapper::map_certificate(const CfgFolder& auth) {
    const auto* cert = auth.value("ClientCert");
    const auto* key = auth.value("ClientKey");
    if (!cert || cert->type != CfgValue::bytes || cert->binary.empty())
        return invalid("ClientAuth.ClientCert: missing");
    if (!key || key->type != CfgValue::bytes || key->binary.empty())
        return invalid("ClientAuth.ClientKey: missing");
    auto credential = tls::ClientCredential::load(cert->binary, key->binary,
                                                  std::string(source_) + ": ClientAuth.ClientCert",
                                                  std::string(source_) + ": ClientAuth.ClientKey");
    if (!credential)
        return credential.error();
    auto& p = out_.profile;
    p.auth_method = AuthMethod::certificate;
    p.cert_data.assign(cert->binary.begin(), cert->binary.end());
    p.key_data.assign(key->binary.begin(), key->binary.end());
    return {};
}

// SoftEther's ProxyType: 0 direct, 1 HTTP, 2 SOCKS4, 3 SOCKS5; the password is obfuscated like
// EncryptedPassword.
void Mapper::map_proxy(const CfgFolder& option) {
    const auto type = number(option, "ProxyType", 0);
    if (type == 0)
        return;
    const auto where = text(option, "ProxyName") + ":" + std::to_string(number(option, "ProxyPort", 0));
    if (type != 1 && type != 3) {
        out_.notes.push_back("the account's " + std::string(type == 2 ? "SOCKS4 " : "") + "proxy (" + where +
                             ") was not imported: vpnse speaks HTTP CONNECT and SOCKS5");
        return;
    }
    auto& p = out_.profile;
    const auto port = number(option, "ProxyPort", 0);
    const auto* password = option.value("ProxyPassword");
    const auto proxy_type = type == 1 ? ProxyType::http : ProxyType::socks5;
    const auto username = text(option, "ProxyUsername");
    const auto clear = username.empty() || !password || password->type != CfgValue::bytes
                           ? std::string()
                           : decrypt_password(password->binary);
    if (port == 0 || port > 65535 ||
        proxy_problem(proxy_type, text(option, "ProxyName"), static_cast<std::uint16_t>(port), username,
                      clear)) {
        out_.notes.push_back("the account's proxy (" + where +
                             ") was not imported: it is not a usable proxy setting");
        return;
    }
    p.proxy_type = proxy_type;
    p.proxy_host = text(option, "ProxyName");
    p.proxy_port = static_cast<std::uint16_t>(port);
    p.proxy_username = username;
    p.proxy_password = clear;
}

void Mapper::note_unused(const CfgFolder& option) {
    if (flag(option, "RequireBridgeRoutingMode", false) || flag(option, "RequireMonitorMode", false))
        out_.notes.push_back("bridge/monitor mode requests were not imported");
    if (!text(option, "CustomHttpHeader").empty())
        out_.notes.push_back("the custom HTTP header was not imported");
}

Result<VpnAccount> Mapper::run(std::string_view profile_name) {
    const auto* option = root_.folder("ClientOption");
    const auto* auth = root_.folder("ClientAuth");
    if (!option || !auth)
        return invalid("not an account file (no ClientOption and ClientAuth folders)");
    out_.account_name = text(*option, "AccountName");
    if (auto status = map_option(*option); !status)
        return status.error();
    if (auto status = map_auth(*auth); !status)
        return status.error();
    map_server_cert();
    map_retry(*option);
    map_proxy(*option);
    note_unused(*option);
    const auto name = profile_name.empty() ? profile_name_from(out_.account_name) : std::string(profile_name);
    // What is written must be a profile vpnsed loads: the parser has the last word. A certificate stays
    // bytes until the caller stores it as files.
    auto checked =
        parse_profile(profile_to_toml(out_.profile), source_, name, {.certificate_in_memory = true});
    if (!checked)
        return checked.error();
    checked->cert_data = std::move(out_.profile.cert_data);
    checked->key_data = std::move(out_.profile.key_data);
    out_.profile = std::move(checked).value();
    return std::move(out_);
}

}  // namespace

std::string profile_name_from(std::string_view text) {
    std::string name;
    for (char c : text) {
        if (name.size() == 32)
            break;
        const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        if (keep || (!name.empty() && name.back() != '-'))
            name += keep ? c : '-';
    }
    while (!name.empty() && name.back() == '-')
        name.pop_back();
    return name.empty() ? "imported" : name;
}

Result<VpnAccount> import_vpn_account(std::string_view text, std::string_view source,
                                      std::string_view profile_name) {
    auto root = parse_cfg_text(text, source);
    if (!root)
        return root.error();
    return Mapper(*root, source).run(profile_name);
}

}  // namespace vpnse::import
