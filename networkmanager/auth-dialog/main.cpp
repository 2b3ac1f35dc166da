// nm-vpnse-auth-dialog: what NetworkManager's secret agents (nmcli --ask, GNOME Shell) run to learn which
// secrets a vpnse connection needs. In external UI mode it answers with a description of the prompts and
// the agent asks the person itself; vpnse has no dialog of its own.
//   nm-vpnse-auth-dialog -u UUID -n NAME -s SERVICE [-i] [-r] [-t HINT]... --external-ui-mode
// The connection's data and secrets arrive on stdin (DATA_KEY=/DATA_VAL=/SECRET_KEY=/SECRET_VAL=, DONE).
#include <glib.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "connection/nm_profile.hpp"
#include "nm/libnm.hpp"

namespace {

std::map<std::string, std::string> to_map(GHashTable* table) {
    std::map<std::string, std::string> out;
    if (!table)
        return out;
    GHashTableIter iter;
    gpointer key = nullptr, value = nullptr;
    g_hash_table_iter_init(&iter, table);
    while (g_hash_table_iter_next(&iter, &key, &value))
        out[static_cast<const char*>(key)] = value ? static_cast<const char*>(value) : "";
    return out;
}

const char* label_of(const std::string& secret) {
    return secret == "password" ? "Password" : secret == "password-hash" ? "Password hash" : "Proxy password";
}

// The keyfile the agent reads: one group per secret, with whether to ask for it.
void describe(const std::string& name, const vpnse::nm::NmVpnSettings& settings, bool reprompt) {
    GKeyFile* file = g_key_file_new();
    g_key_file_set_integer(file, "VPN Plugin UI", "Version", 2);
    const std::string description = "The SoftEther VPN \"" + name + "\" needs a password.";
    g_key_file_set_string(file, "VPN Plugin UI", "Description", description.c_str());
    g_key_file_set_string(file, "VPN Plugin UI", "Title", "Authenticate VPN");
    // Every secret this connection takes, even those NM has already (a re-prompt after a failure).
    for (const auto& secret : vpnse::nm::secrets_used(settings)) {
        auto known = settings.secrets.find(secret);
        const bool have = known != settings.secrets.end() && !known->second.empty();
        g_key_file_set_string(file, secret.c_str(), "Value", have ? known->second.c_str() : "");
        g_key_file_set_string(file, secret.c_str(), "Label", label_of(secret));
        g_key_file_set_boolean(file, secret.c_str(), "IsSecret", TRUE);
        g_key_file_set_boolean(file, secret.c_str(), "ShouldAsk", !have || reprompt);
    }
    gsize length = 0;
    gchar* text = g_key_file_to_data(file, &length, nullptr);
    std::fwrite(text, 1, length, stdout);
    std::fflush(stdout);
    g_free(text);
    g_key_file_unref(file);
}

}  // namespace

int main(int argc, char** argv) {
    std::string name = "VPN";
    bool external_ui = false, reprompt = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--external-ui-mode") == 0)
            external_ui = true;
        else if (std::strcmp(argv[i], "-r") == 0)
            reprompt = true;
        else if (std::strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            name = argv[++i];
        else if ((std::strcmp(argv[i], "-u") == 0 || std::strcmp(argv[i], "-s") == 0 ||
                  std::strcmp(argv[i], "-t") == 0) &&
                 i + 1 < argc)
            ++i;  // uuid, service and hints: nothing here depends on them
    }
    if (!external_ui) {
        std::fprintf(stderr, "nm-vpnse-auth-dialog: only --external-ui-mode is supported\n");
        return 1;
    }
    GHashTable* data = nullptr;
    GHashTable* secrets = nullptr;
    if (!nm_vpn_service_plugin_read_vpn_details(STDIN_FILENO, &data, &secrets)) {
        std::fprintf(stderr, "nm-vpnse-auth-dialog: could not read the connection from stdin\n");
        return 1;
    }
    vpnse::nm::NmVpnSettings settings;
    settings.data = to_map(data);
    settings.secrets = to_map(secrets);
    describe(name, settings, reprompt);
    if (data)
        g_hash_table_unref(data);
    if (secrets)
        g_hash_table_unref(secrets);
    return 0;
}
