#include "import/vpn_account.hpp"

#include <algorithm>

#include "core/rc4.hpp"
#include "import/cfg_text.hpp"
#include "profile/profile_parser.hpp"
#include "profile/profile_writer.hpp"
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
    p.udp_acceleration = !flag(option, "DisableUdpAcceleration", false);
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
            return Error(
                ErrorCode::not_supported,
                std::string(source_) + ": certificate authentication (AuthType 3) cannot be imported yet");
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
    const auto retries = number(option, "NumRetry", 0xffffffff);
    if (retries != 0 && retries != 0xffffffff)
        out_.notes.push_back("reconnect: the account's limit of " + std::to_string(retries) +
                             " retries is not kept (vpnse retries until disconnected)");
}

void Mapper::note_unused(const CfgFolder& option) {
    if (number(option, "ProxyType", 0) != 0)
        out_.notes.push_back("the account's proxy (" + text(option, "ProxyName") + ":" +
                             std::to_string(number(option, "ProxyPort", 0)) + ") was not imported");
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
    note_unused(*option);
    const auto name = profile_name.empty() ? profile_name_from(out_.account_name) : std::string(profile_name);
    // What is written must be a profile vpnsed loads: the parser has the last word.
    auto checked = parse_profile(profile_to_toml(out_.profile), source_, name);
    if (!checked)
        return checked.error();
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
