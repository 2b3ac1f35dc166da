// libnm-vpn-plugin-vpnse.so: what libnm clients (nmcli, GNOME Settings, nm-connection-editor) load for
// vpnse connections: import of vpnse TOML profiles and official client account files (.vpn), export to
// TOML, capabilities. The GTK editor pages
// are separate modules (docs/networkmanager.md).
#include <dlfcn.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "connection/toml_exchange.hpp"
#include "import/certificate_files.hpp"
#include "import/vpn_account.hpp"
#include "nm/connection_settings.hpp"
#include "nm/libnm.hpp"
#include "profile/profile_parser.hpp"
#include "profile/profile_writer.hpp"

namespace {

using namespace vpnse;

void set_error(GError** error, const std::string& message) {
    g_set_error(error, NM_CONNECTION_ERROR, NM_CONNECTION_ERROR_FAILED, "%s", message.c_str());
}

// A profile name from the file name: the stem, with what profile names cannot hold replaced.
std::string profile_name_of(const std::filesystem::path& path) {
    std::string name = path.stem().string().substr(0, 32);
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
            c = '_';
    return name.empty() ? "imported" : name;
}

// GLib's atomic replace, with the file's mode set before the content is visible.
Status write_user_file(const std::filesystem::path& path, std::string_view bytes, unsigned mode) {
    GError* error = nullptr;
    if (g_file_set_contents_full(path.c_str(), bytes.data(), static_cast<gssize>(bytes.size()),
                                 G_FILE_SET_CONTENTS_CONSISTENT, static_cast<int>(mode), &error))
        return {};
    std::string message = path.string() + ": cannot write the file: " + error->message;
    g_error_free(error);
    return Error(ErrorCode::io_error, message);
}

// An account's certificate and key go to the user's data directory (0700), as files the connection
// names in cert-file / key-file.
Status store_imported_certificate(Profile& profile) {
    const auto dir = std::filesystem::path(g_get_user_data_dir()) / "vpnse" / "certificates";
    if (g_mkdir_with_parents(dir.c_str(), 0700) != 0)
        return Error(ErrorCode::io_error, dir.string() + ": cannot create the directory");
    return import::store_certificate_files(profile, dir, write_user_file);
}

NMConnection* import_file(NMVpnEditorPlugin*, const char* path, GError** error) {
    const std::filesystem::path file(path);
    if (file.extension() != ".toml" && file.extension() != ".vpn") {
        set_error(error, std::string(path) +
                             ": vpnse imports its TOML profiles (*.toml) and the official "
                             "client's account files (*.vpn)");
        return nullptr;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    if (!in || !(text << in.rdbuf())) {
        set_error(error, std::string(path) + ": cannot read the file");
        return nullptr;
    }
    std::string toml = text.str();
    if (file.extension() == ".vpn") {
        // Through the same profile vpnsed would write; NM keeps no notes, so they go to the log.
        auto account = import::import_vpn_account(toml, path, profile_name_of(file));
        if (!account) {
            set_error(error, account.error().message());
            return nullptr;
        }
        for (const auto& note : account->notes)
            g_message("vpnse import of %s: %s", path, note.c_str());
        if (auto stored = store_imported_certificate(account->profile); !stored) {
            set_error(error, stored.error().message());
            return nullptr;
        }
        toml = profile_to_toml(account->profile);
    }
    auto settings = nm::nm_settings_from_toml(toml, path, profile_name_of(file));
    if (!settings) {
        set_error(error, settings.error().message());
        return nullptr;
    }
    return nm::connection_from(*settings);
}

gboolean export_file(NMVpnEditorPlugin*, const char* path, NMConnection* connection, GError** error) {
    auto text = nm::toml_from_nm(nm::settings_of(connection));
    if (!text) {
        set_error(error, text.error().message());
        return FALSE;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!(out << *text) || !out.flush()) {
        set_error(error, std::string(path) + ": cannot write the file");
        return FALSE;
    }
    return TRUE;
}

char* suggested_filename(NMVpnEditorPlugin*, NMConnection* connection) {
    const char* id = nm_connection_get_id(connection);
    return g_strdup_printf("%s.toml", profile_name_of(id ? id : "vpnse").c_str());
}

NMVpnEditorPluginCapability capabilities(NMVpnEditorPlugin*) {
    return static_cast<NMVpnEditorPluginCapability>(NM_VPN_EDITOR_PLUGIN_CAPABILITY_IMPORT |
                                                    NM_VPN_EDITOR_PLUGIN_CAPABILITY_EXPORT |
                                                    NM_VPN_EDITOR_PLUGIN_CAPABILITY_IPV6);
}

// The page is built per toolkit; the process has GTK 3 loaded (nm-connection-editor) or GTK 4 (GNOME
// Settings). gtk_container_add exists only in GTK 3.
NMVpnEditor* load_editor(NMVpnEditorPlugin*, NMConnection* connection, GError** error) {
    const bool gtk3 = dlsym(RTLD_DEFAULT, "gtk_container_add") != nullptr;
    Dl_info self{};
    if (!dladdr(reinterpret_cast<void*>(&load_editor), &self) || !self.dli_fname) {
        set_error(error, "cannot locate libnm-vpn-plugin-vpnse.so");
        return nullptr;
    }
    const auto module = std::filesystem::path(self.dli_fname).parent_path() /
                        (gtk3 ? "libnm-vpn-plugin-vpnse-editor.so" : "libnm-gtk4-vpn-plugin-vpnse-editor.so");
    // Loaded for the rest of the process, as the desktop editors expect of their plugins.
    void* handle = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        set_error(error, std::string("the vpnse editor page is not installed: ") + dlerror());
        return nullptr;
    }
    using Factory = NMVpnEditor* (*)(NMConnection*, GError**);
    auto factory = reinterpret_cast<Factory>(dlsym(handle, "vpnse_editor_new"));
    if (!factory) {
        set_error(error, module.string() + ": not a vpnse editor module");
        return nullptr;
    }
    return factory(connection, error);
}

}  // namespace

// The GObject type, outside any namespace: GLib's macros expect C names.
struct VpnseEditorPlugin {
    GObject parent;
};
struct VpnseEditorPluginClass {
    GObjectClass parent;
};

enum { PROP_0, PROP_NAME, PROP_DESC, PROP_SERVICE };

static void vpnse_editor_plugin_interface_init(NMVpnEditorPluginInterface* iface) {
    iface->get_editor = load_editor;
    iface->get_capabilities = capabilities;
    iface->import_from_file = import_file;
    iface->export_to_file = export_file;
    iface->get_suggested_filename = suggested_filename;
}

G_DEFINE_TYPE_WITH_CODE(VpnseEditorPlugin, vpnse_editor_plugin, G_TYPE_OBJECT,
                        G_IMPLEMENT_INTERFACE(NM_TYPE_VPN_EDITOR_PLUGIN, vpnse_editor_plugin_interface_init))

static void vpnse_editor_plugin_init(VpnseEditorPlugin*) {}

static void get_property(GObject* object, guint id, GValue* value, GParamSpec* spec) {
    switch (id) {
        case PROP_NAME:
            g_value_set_string(value, "SoftEther VPN (vpnse)");
            break;
        case PROP_DESC:
            g_value_set_string(value, "Compatible with SoftEther VPN Server (SSL-VPN over TCP).");
            break;
        case PROP_SERVICE:
            g_value_set_string(value, vpnse::nm::kServiceType);
            break;
        default:
            G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, spec);
    }
}

static void vpnse_editor_plugin_class_init(VpnseEditorPluginClass* type) {
    auto* object_class = G_OBJECT_CLASS(type);
    object_class->get_property = get_property;
    g_object_class_override_property(object_class, PROP_NAME, NM_VPN_EDITOR_PLUGIN_NAME);
    g_object_class_override_property(object_class, PROP_DESC, NM_VPN_EDITOR_PLUGIN_DESCRIPTION);
    g_object_class_override_property(object_class, PROP_SERVICE, NM_VPN_EDITOR_PLUGIN_SERVICE);
}

extern "C" G_MODULE_EXPORT NMVpnEditorPlugin* nm_vpn_editor_plugin_factory(GError** error) {
    if (error)
        g_return_val_if_fail(*error == nullptr, nullptr);
    return NM_VPN_EDITOR_PLUGIN(g_object_new(vpnse_editor_plugin_get_type(), nullptr));
}
