// vpnse_config: profiles from TOML text, from a file, or key by key (profile/profile_edit.hpp edits the
// text; parse_profile stays the one validation).
#include <algorithm>
#include <fstream>
#include <sstream>

#include "capi/handles.hpp"
#include "profile/profile_edit.hpp"
#include "profile/profile_parser.hpp"

using vpnse::capi::copy_text;
using vpnse::capi::is_live_config;

namespace {

int fail(const vpnse::Error& error, char* error_text, std::size_t error_size) {
    copy_text(error.message(), error_text, error_size);
    return static_cast<int>(error.code());
}

// Hands a parsed profile to the caller as a registered vpnse_config, or the parse error as text.
int publish_config(std::string source, std::string name, std::string toml, vpnse_config** out,
                   char* error_text, std::size_t error_size) {
    auto profile = vpnse::parse_profile(toml, source, name);
    if (!profile)
        return fail(profile.error(), error_text, error_size);
    // Ownership crosses the C boundary here; vpnse_config_free takes it back.
    auto config = std::make_unique<vpnse_config>();
    *config =
        vpnse_config{std::move(source), std::move(name), std::move(toml), std::move(profile).value(), {}, {}};
    vpnse::capi::register_config(config.get());
    *out = config.release();
    return VPNSE_OK;
}

// Whether parse_profile's message ("source: server.port: must be ...") is about `key` itself.
bool names_key(const std::string& message, std::string_view key) {
    const std::string needle = ": " + std::string(key) + ":";
    return message.find(needle) != std::string::npos;
}

int set_key(vpnse_config* config, const char* key, const vpnse::ProfileValue& value, char* error_text,
            std::size_t error_size) {
    if (!is_live_config(config) || key == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    auto text = vpnse::set_profile_key(config->toml, key, value);
    if (!text)
        return fail(text.error(), error_text, error_size);
    auto profile = vpnse::parse_profile(*text, config->source, config->name);
    // A wrong or unknown key is refused now; a profile still missing other keys is fine until it is used.
    if (!profile && names_key(profile.error().message(), key))
        return fail(profile.error(), error_text, error_size);
    config->toml = std::move(text).value();
    if (profile) {
        config->profile = std::move(profile).value();
        config->invalid.reset();
    } else {
        config->invalid = profile.error();
    }
    return VPNSE_OK;
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
    if (auto profile = vpnse::parse_profile("", name, name); profile)
        config->profile = std::move(profile).value();
    else
        config->invalid = profile.error();
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

void vpnse_config_free(vpnse_config* config) {
    if (!vpnse::capi::unregister_config(config))
        return;
    std::unique_ptr<vpnse_config> owned(config);
}

}  // extern "C"
