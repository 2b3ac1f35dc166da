// vpnse_config: profiles from TOML text, from a file, or key by key (profile/profile_edit.hpp edits the
// text; parse_profile stays the one validation).
#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include "capi/handles.hpp"
#include "profile/profile_edit.hpp"
#include "profile/profile_parser.hpp"
#include "tls/client_credential.hpp"

using vpnse::capi::copy_text;
using vpnse::capi::is_live_config;

namespace {

int fail(const vpnse::Error& error, char* error_text, std::size_t error_size) {
    copy_text(error.message(), error_text, error_size);
    return static_cast<int>(error.code());
}

// parse_profile over `toml`. Certificate files are optional here: the app may hand the certificate over
// as bytes (vpnse_config_set_client_certificate), which then win over any files.
vpnse::Result<vpnse::Profile> parse_config_text(const vpnse_config& config, std::string_view toml) {
    auto profile = vpnse::parse_profile(toml, config.source, config.name, {.certificate_in_memory = true});
    if (profile && profile->auth_method == vpnse::AuthMethod::certificate && !config.cert_data.empty()) {
        profile->cert_data = config.cert_data;
        profile->key_data = config.key_data;
    }
    return profile;
}

// Why a valid profile cannot connect yet: certificate login with neither files nor bytes.
std::optional<vpnse::Error> missing_certificate(const vpnse_config& config) {
    const auto& p = config.profile;
    if (p.auth_method != vpnse::AuthMethod::certificate || !p.cert_file.empty() || !config.cert_data.empty())
        return std::nullopt;
    return vpnse::Error(vpnse::ErrorCode::config_invalid,
                        config.source +
                            ": auth.cert_file: is required with method = \"certificate\" (or hand the "
                            "certificate over with vpnse_config_set_client_certificate)");
}

// Stores a parse result: the profile when valid, else why the config is not complete yet.
void store_profile(vpnse_config& config, vpnse::Result<vpnse::Profile> profile) {
    if (!profile) {
        config.invalid = profile.error();
        return;
    }
    config.profile = std::move(profile).value();
    config.invalid = missing_certificate(config);
}

// Hands a parsed profile to the caller as a registered vpnse_config, or the parse error as text.
int publish_config(std::string source, std::string name, std::string toml, vpnse_config** out,
                   char* error_text, std::size_t error_size) {
    // Ownership crosses the C boundary here; vpnse_config_free takes it back.
    auto config = std::make_unique<vpnse_config>();
    config->source = std::move(source);
    config->name = std::move(name);
    config->toml = std::move(toml);
    auto profile = parse_config_text(*config, config->toml);
    if (!profile)
        return fail(profile.error(), error_text, error_size);
    store_profile(*config, std::move(profile));
    vpnse::capi::register_config(config.get());
    *out = config.release();
    return VPNSE_OK;
}

// Whether parse_profile's message ("source: server.port: must be ...") is about `key` itself, or with a
// trailing '.', about a key of that section.
bool names_key(const std::string& message, std::string_view key) {
    const std::string needle = ": " + std::string(key) + (key.ends_with('.') ? "" : ":");
    return message.find(needle) != std::string::npos;
}

// Takes the edited text when it is valid or only incomplete elsewhere; an error naming `key` (what was
// just set) refuses the edit and leaves the config as it was.
int apply_text(vpnse_config* config, vpnse::Result<std::string> text, std::string_view key, char* error_text,
               std::size_t error_size) {
    if (!text)
        return fail(text.error(), error_text, error_size);
    auto profile = parse_config_text(*config, *text);
    if (!profile && names_key(profile.error().message(), key))
        return fail(profile.error(), error_text, error_size);
    config->toml = std::move(text).value();
    store_profile(*config, std::move(profile));
    return VPNSE_OK;
}

int set_key(vpnse_config* config, const char* key, const vpnse::ProfileValue& value, char* error_text,
            std::size_t error_size) {
    if (!is_live_config(config) || key == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    return apply_text(config, vpnse::set_profile_key(config->toml, key, value), key, error_text, error_size);
}

// Applies edits to `text` in order, stopping at the first error.
template <typename... Edit>
vpnse::Result<std::string> edit_text(std::string text, Edit... edits) {
    vpnse::Result<std::string> result = std::move(text);
    ((result = result ? edits(*result) : std::move(result)), ...);
    return result;
}

std::optional<vpnse::ProxyType> proxy_type_of(int type) {
    switch (type) {
        case VPNSE_PROXY_NONE:
            return vpnse::ProxyType::none;
        case VPNSE_PROXY_HTTP:
            return vpnse::ProxyType::http;
        case VPNSE_PROXY_SOCKS5:
            return vpnse::ProxyType::socks5;
    }
    return std::nullopt;
}

// The [proxy] section as the text of the profile: replaced as a whole.
vpnse::Result<std::string> proxy_text(std::string_view toml, vpnse::ProxyType type, const std::string& host,
                                      std::uint16_t port, const std::string& username,
                                      const std::string& password) {
    auto text = vpnse::remove_profile_key(toml, "proxy");
    if (!text || type == vpnse::ProxyType::none)
        return text;
    return edit_text(
        std::move(text).value(),
        [&](const std::string& t) {
            return vpnse::set_profile_key(t, "proxy.type", std::string(vpnse::proxy_type_name(type)));
        },
        [&](const std::string& t) { return vpnse::set_profile_key(t, "proxy.host", host); },
        [&](const std::string& t) { return vpnse::set_profile_key(t, "proxy.port", std::int64_t{port}); },
        [&](const std::string& t) {
            return username.empty() ? vpnse::Result<std::string>(t)
                                    : vpnse::set_profile_key(t, "proxy.username", username);
        },
        [&](const std::string& t) {
            return password.empty() ? vpnse::Result<std::string>(t)
                                    : vpnse::set_profile_key(t, "proxy.password", password);
        });
}

}  // namespace

extern "C" {

int vpnse_config_parse(const char* toml, const char* name, vpnse_config** out, char* error_text,
                       std::size_t error_size) {
    if (toml == nullptr || name == nullptr || out == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    *out = nullptr;
    return publish_config(name, name, toml, out, error_text, error_size);
}

int vpnse_config_load(const char* path, vpnse_config** out, char* error_text, std::size_t error_size) {
    if (path == nullptr || out == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    *out = nullptr;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        copy_text(std::string(path) + ": cannot read the file", error_text, error_size);
        return VPNSE_E_CONFIG_INVALID;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::string stem = path;
    if (auto slash = stem.rfind('/'); slash != std::string::npos)
        stem = stem.substr(slash + 1);
    if (auto dot = stem.rfind('.'); dot != std::string::npos)
        stem = stem.substr(0, dot);
    return publish_config(path, stem, text.str(), out, error_text, error_size);
}

int vpnse_config_new(const char* name, vpnse_config** out) {
    if (name == nullptr || out == nullptr || !vpnse::is_valid_profile_name(name))
        return VPNSE_E_INVALID_ARGUMENT;
    auto config = std::make_unique<vpnse_config>();
    config->source = config->name = name;
    store_profile(*config, parse_config_text(*config, ""));
    vpnse::capi::register_config(config.get());
    *out = config.release();  // vpnse_config_free takes it back
    return VPNSE_OK;
}

int vpnse_config_set_string(vpnse_config* config, const char* key, const char* value, char* error_text,
                            std::size_t error_size) {
    if (value == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    return set_key(config, key, std::string(value), error_text, error_size);
}

int vpnse_config_set_integer(vpnse_config* config, const char* key, std::int64_t value, char* error_text,
                             std::size_t error_size) {
    return set_key(config, key, value, error_text, error_size);
}

int vpnse_config_set_boolean(vpnse_config* config, const char* key, int value, char* error_text,
                             std::size_t error_size) {
    return set_key(config, key, value != 0, error_text, error_size);
}

int vpnse_config_check(const vpnse_config* config, char* error_text, std::size_t error_size) {
    if (!is_live_config(config))
        return VPNSE_E_INVALID_ARGUMENT;
    if (config->invalid)
        return fail(*config->invalid, error_text, error_size);
    return VPNSE_OK;
}

int vpnse_config_set_host_name(vpnse_config* config, const char* host_name) {
    if (!is_live_config(config) || host_name == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    const std::string_view name(host_name);
    if (name.empty() || name.size() > 255 ||
        !std::all_of(name.begin(), name.end(), [](char c) { return c > 0x20 && c < 0x7f; }))
        return VPNSE_E_INVALID_ARGUMENT;
    config->host_name = name;
    return VPNSE_OK;
}

int vpnse_config_set_proxy(vpnse_config* config, int type, const char* host, std::uint16_t port,
                           const char* username, const char* password, char* error_text,
                           std::size_t error_size) {
    if (!is_live_config(config))
        return VPNSE_E_INVALID_ARGUMENT;
    const auto proxy_type = proxy_type_of(type);
    if (!proxy_type) {
        copy_text("type: must be VPNSE_PROXY_NONE, VPNSE_PROXY_HTTP or VPNSE_PROXY_SOCKS5", error_text,
                  error_size);
        return VPNSE_E_INVALID_ARGUMENT;
    }
    const std::string host_text = host != nullptr ? host : "";
    const std::string user_text = username != nullptr ? username : "";
    const std::string password_text = password != nullptr ? password : "";
    if (auto problem = vpnse::proxy_problem(*proxy_type, host_text, port, user_text, password_text)) {
        copy_text("proxy." + std::string(problem->key) + ": " + problem->message, error_text, error_size);
        return VPNSE_E_INVALID_ARGUMENT;
    }
    return apply_text(config,
                      proxy_text(config->toml, *proxy_type, host_text, port, user_text, password_text),
                      "proxy.", error_text, error_size);
}

int vpnse_config_set_client_certificate(vpnse_config* config, const std::uint8_t* certificate,
                                        std::size_t certificate_size, const std::uint8_t* private_key,
                                        std::size_t private_key_size, char* error_text,
                                        std::size_t error_size) {
    if (!is_live_config(config) || certificate == nullptr || private_key == nullptr ||
        certificate_size == 0 || private_key_size == 0)
        return VPNSE_E_INVALID_ARGUMENT;
    const vpnse::ByteSpan cert_bytes(certificate, certificate_size);
    const vpnse::ByteSpan key_bytes(private_key, private_key_size);
    // Checked now so the app hears about a bad certificate here, not at the first connect.
    auto credential = vpnse::tls::ClientCredential::load(cert_bytes, key_bytes, "certificate", "private_key");
    if (!credential)
        return fail(credential.error(), error_text, error_size);
    auto text = edit_text(
        config->toml,
        [](const std::string& t) {
            return vpnse::set_profile_key(t, "auth.method", std::string("certificate"));
        },
        [](const std::string& t) { return vpnse::remove_profile_key(t, "auth.password"); },
        [](const std::string& t) { return vpnse::remove_profile_key(t, "auth.password_hash"); });
    auto previous_cert = std::exchange(config->cert_data, std::string(cert_bytes.begin(), cert_bytes.end()));
    auto previous_key = std::exchange(config->key_data, std::string(key_bytes.begin(), key_bytes.end()));
    const int result = apply_text(config, std::move(text), "auth.method", error_text, error_size);
    if (result != VPNSE_OK) {
        config->cert_data = std::move(previous_cert);
        config->key_data = std::move(previous_key);
    }
    return result;
}

void vpnse_config_free(vpnse_config* config) {
    if (!vpnse::capi::unregister_config(config))
        return;
    std::unique_ptr<vpnse_config> owned(config);
}

}  // extern "C"
