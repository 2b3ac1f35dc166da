// The vpnse settings page of nm-connection-editor (GTK 3) and GNOME Settings (GTK 4): one widget per
// field of editor/fields.hpp, named after its vpn.data key, validated as the service will read it.
#include <algorithm>
#include <map>
#include <memory>

#include "connection/nm_profile.hpp"
#include "editor/fields.hpp"
#include "editor/gtk/gtk_compat.hpp"
#include "nm/connection_settings.hpp"

namespace vpnse::nm {
namespace {

// How NM keeps the password (NMSettingSecretFlags): the desktop's keyring by default.
struct Storage {
    const char* id;
    const char* label;
    NMSettingSecretFlags flags;
};
constexpr Storage kStorages[] = {
    {"agent", "Kept in your keyring", NM_SETTING_SECRET_FLAG_AGENT_OWNED},
    {"ask", "Asked every time", NM_SETTING_SECRET_FLAG_NOT_SAVED},
    {"system", "Saved for all users", NM_SETTING_SECRET_FLAG_NONE},
};

class Page {
  public:
    Page(NMVpnEditor* editor, NMConnection* connection);
    ~Page() { g_object_unref(grid_); }
    Page(const Page&) = delete;
    Page& operator=(const Page&) = delete;

    GtkWidget* widget() const { return grid_; }
    bool update(NMConnection* connection, GError** error);
    // A widget changed: validate, show the problem (if any), tell the editor.
    void on_changed();

  private:
    GtkWidget* make(const Field& field, const NmVpnSettings& current);
    NmVpnSettings collect() const;
    NMSettingSecretFlags storage() const;
    Status validate(const NmVpnSettings& settings) const;

    NMVpnEditor* editor_;
    GtkWidget* grid_;
    GtkWidget* storage_ = nullptr;
    GtkWidget* message_ = nullptr;
    std::map<std::string, GtkWidget*, std::less<>> widgets_;
    NmVpnSettings original_;  // keys without a row on the page (reconnect-*, ...) are kept as they were
};

void notify_changed(GtkWidget*, gpointer page) {
    static_cast<Page*>(page)->on_changed();
}

std::string value_of(const NmVpnSettings& settings, std::string_view key) {
    auto& from = nm_key_named(key) && nm_key_named(key)->secret ? settings.secrets : settings.data;
    auto it = from.find(std::string(key));
    return it == from.end() ? std::string() : it->second;
}

Page::Page(NMVpnEditor* editor, NMConnection* connection) : editor_(editor), grid_(gtk_grid_new()) {
    g_object_ref_sink(grid_);
    gtk_grid_set_row_spacing(GTK_GRID(grid_), 6);
    gtk_grid_set_column_spacing(GTK_GRID(grid_), 12);
    gtk::set_margins(grid_, 12);
    const auto current = connection ? settings_of(connection) : NmVpnSettings{};
    original_ = current;
    int row = 0;
    for (const auto& field : editor_fields()) {
        auto* label = gtk_label_new(std::string(field.label).c_str());
        gtk_label_set_xalign(GTK_LABEL(label), 1.0f);
        gtk_grid_attach(GTK_GRID(grid_), label, 0, row, 1, 1);
        auto* widget = make(field, current);
        gtk_widget_set_hexpand(widget, TRUE);
        gtk_grid_attach(GTK_GRID(grid_), widget, 1, row++, 1, 1);
        if (field.kind == Field::secret) {
            storage_ = gtk_combo_box_text_new();
            gtk_widget_set_name(storage_, "password-storage");
            for (const auto& storage : kStorages)
                gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(storage_), storage.id, storage.label);
            NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_AGENT_OWNED;
            if (auto* vpn = connection ? nm_connection_get_setting_vpn(connection) : nullptr)
                nm_setting_get_secret_flags(NM_SETTING(vpn), "password", &flags, nullptr);
            for (const auto& storage : kStorages)
                if (storage.flags == flags)
                    gtk_combo_box_set_active_id(GTK_COMBO_BOX(storage_), storage.id);
            g_signal_connect(storage_, "changed", G_CALLBACK(notify_changed), this);
            gtk_grid_attach(GTK_GRID(grid_), storage_, 1, row++, 1, 1);
        }
    }
    message_ = gtk_label_new("");
    gtk_widget_set_name(message_, "message");
    gtk::set_label_wrap(message_);
    gtk_grid_attach(GTK_GRID(grid_), message_, 0, row, 2, 1);
    gtk::show_all(grid_);
    on_changed();
}

GtkWidget* Page::make(const Field& field, const NmVpnSettings& current) {
    const auto value = value_of(current, field.key);
    GtkWidget* widget = nullptr;
    switch (field.kind) {
        case Field::text:
        case Field::secret:
            widget = gtk_entry_new();
            gtk::set_entry_text(widget, value);
            gtk_entry_set_placeholder_text(GTK_ENTRY(widget), std::string(field.placeholder).c_str());
            if (field.kind == Field::secret)
                gtk_entry_set_visibility(GTK_ENTRY(widget), FALSE);
            g_signal_connect(widget, "changed", G_CALLBACK(notify_changed), this);
            break;
        case Field::number: {
            widget = gtk_spin_button_new_with_range(field.min, field.max, 1);
            // The profile's defaults where the connection has no value yet.
            const int fallback = field.key == "port" ? 443 : field.key == "mtu" ? 1400 : field.min;
            gtk_spin_button_set_value(GTK_SPIN_BUTTON(widget),
                                      value.empty() ? fallback : std::atoi(value.c_str()));
            g_signal_connect(widget, "value-changed", G_CALLBACK(notify_changed), this);
            break;
        }
        case Field::flag:
            widget = gtk::new_check("");
            gtk::set_check_active(widget,
                                  value.empty() ? field.on_when_unset : value == "yes" || value == "true");
            g_signal_connect(widget, gtk::toggled_signal(), G_CALLBACK(notify_changed), this);
            break;
        case Field::choice:
            widget = gtk_combo_box_text_new();
            for (auto choice : field.choices)
                gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(widget), std::string(choice).c_str(),
                                          std::string(choice).c_str());
            gtk_combo_box_set_active_id(
                GTK_COMBO_BOX(widget),
                value.empty() ? std::string(field.choices.front()).c_str() : value.c_str());
            g_signal_connect(widget, "changed", G_CALLBACK(notify_changed), this);
            break;
    }
    gtk_widget_set_name(widget, std::string(field.key).c_str());
    widgets_.emplace(std::string(field.key), widget);
    return widget;
}

NMSettingSecretFlags Page::storage() const {
    const char* id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(storage_));
    for (const auto& storage : kStorages)
        if (id && std::string_view(id) == storage.id)
            return storage.flags;
    return NM_SETTING_SECRET_FLAG_AGENT_OWNED;
}

NmVpnSettings Page::collect() const {
    NmVpnSettings out;
    for (const auto& [key, value] : original_.data) {
        const bool on_page = std::any_of(editor_fields().begin(), editor_fields().end(),
                                         [&key](const Field& field) { return field.key == key; });
        if (!on_page && key != "password-flags")
            out.data[key] = value;
    }
    for (const auto& field : editor_fields()) {
        auto* widget = widgets_.find(field.key)->second;
        std::string value;
        switch (field.kind) {
            case Field::text:
            case Field::secret:
                value = gtk::entry_text(widget);
                break;
            case Field::number:
                value = std::to_string(gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(widget)));
                break;
            case Field::flag:
                value = gtk::check_active(widget) ? "yes" : "no";
                break;
            case Field::choice: {
                const char* id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(widget));
                value = id ? id : "";
                break;
            }
        }
        if (value.empty())
            continue;
        (field.kind == Field::secret ? out.secrets : out.data)[std::string(field.key)] = value;
    }
    // Keys the chosen modes do not use stay out, as a hand-written profile would leave them.
    const auto auth = out.data["auth"], verify = out.data["verify"];
    if (auth == "anonymous" || auth == "certificate")
        out.secrets.erase("password");
    if (auth == "anonymous")
        out.data.erase("user");
    if (auth != "certificate") {
        out.data.erase("cert-file");
        out.data.erase("key-file");
    }
    if (auto typed = out.secrets.find("password"); auth == "password_hash" && typed != out.secrets.end()) {
        out.secrets["password-hash"] = typed->second;  // the field holds the base64 hash then
        out.secrets.erase("password");
    }
    if (verify != "fingerprint")
        out.data.erase("fingerprint");
    if (verify != "ca")
        out.data.erase("ca-file");
    if (out.data["half-connection"] == "no")
        out.data.erase("half-connection");
    out.data["password-flags"] = std::to_string(static_cast<int>(storage()));
    return out;
}

Status Page::validate(const NmVpnSettings& settings) const {
    auto check = settings;
    check.uuid = "00000000";
    // A secret NM asks for at connect time is not missing now (the proxy's, set with nmcli, always is).
    for (const auto& secret : secrets_used(check))
        if (secret == "proxy-password" || storage() != NM_SETTING_SECRET_FLAG_NONE)
            check.secrets.try_emplace(secret, "asked-at-connect");
    auto profile = profile_from_nm(check);
    if (!profile)
        return profile.error();
    return {};
}

void Page::on_changed() {
    // Fields the chosen modes do not use are greyed out (and left out of the connection by collect()).
    auto chosen = [this](const char* key) {
        const char* id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(widgets_.find(key)->second));
        return std::string(id ? id : "");
    };
    const auto verify = chosen("verify");
    const auto auth = chosen("auth");
    const bool anonymous = auth == "anonymous", certificate = auth == "certificate";
    gtk_widget_set_sensitive(widgets_.find("fingerprint")->second, verify == "fingerprint");
    gtk_widget_set_sensitive(widgets_.find("ca-file")->second, verify == "ca");
    gtk_widget_set_sensitive(widgets_.find("user")->second, !anonymous);
    gtk_widget_set_sensitive(widgets_.find("password")->second, !anonymous && !certificate);
    gtk_widget_set_sensitive(storage_, !anonymous && !certificate);
    gtk_widget_set_sensitive(widgets_.find("cert-file")->second, certificate);
    gtk_widget_set_sensitive(widgets_.find("key-file")->second, certificate);
    const auto status = validate(collect());
    gtk_label_set_text(GTK_LABEL(message_), status ? "" : status.error().message().c_str());
    g_signal_emit_by_name(editor_, "changed");
}

bool Page::update(NMConnection* connection, GError** error) {
    const auto settings = collect();
    if (auto status = validate(settings); !status) {
        g_set_error(error, NM_CONNECTION_ERROR, NM_CONNECTION_ERROR_INVALID_PROPERTY, "%s",
                    status.error().message().c_str());
        return false;
    }
    auto* vpn = NM_SETTING_VPN(nm_setting_vpn_new());
    g_object_set(vpn, NM_SETTING_VPN_SERVICE_TYPE, kServiceType, nullptr);
    for (const auto& [key, value] : settings.data)
        nm_setting_vpn_add_data_item(vpn, key.c_str(), value.c_str());
    for (const auto& [key, value] : settings.secrets) {
        if (storage() != NM_SETTING_SECRET_FLAG_NOT_SAVED)
            nm_setting_vpn_add_secret(vpn, key.c_str(), value.c_str());
        nm_setting_set_secret_flags(NM_SETTING(vpn), key.c_str(), storage(), nullptr);
    }
    nm_connection_add_setting(connection, NM_SETTING(vpn));  // replaces the previous vpn setting
    return true;
}

Page* page_of(gpointer editor) {
    return static_cast<Page*>(g_object_get_data(G_OBJECT(editor), "vpnse-page"));
}

}  // namespace
}  // namespace vpnse::nm

struct VpnseEditor {
    GObject parent;
};
struct VpnseEditorClass {
    GObjectClass parent;
};

static void vpnse_editor_interface_init(NMVpnEditorInterface* iface) {
    iface->get_widget = [](NMVpnEditor* editor) -> GObject* {
        return G_OBJECT(vpnse::nm::page_of(editor)->widget());
    };
    iface->update_connection = [](NMVpnEditor* editor, NMConnection* connection, GError** error) -> gboolean {
        return vpnse::nm::page_of(editor)->update(connection, error);
    };
}

G_DEFINE_TYPE_WITH_CODE(VpnseEditor, vpnse_editor, G_TYPE_OBJECT,
                        G_IMPLEMENT_INTERFACE(NM_TYPE_VPN_EDITOR, vpnse_editor_interface_init))

static void vpnse_editor_init(VpnseEditor*) {}
static void vpnse_editor_class_init(VpnseEditorClass*) {}

// Called by libnm-vpn-plugin-vpnse.so's get_editor after it loaded the module for the process's GTK.
extern "C" G_MODULE_EXPORT NMVpnEditor* vpnse_editor_new(NMConnection* connection, GError**) {
    auto* editor = NM_VPN_EDITOR(g_object_new(vpnse_editor_get_type(), nullptr));
    auto page = std::make_unique<vpnse::nm::Page>(editor, connection);
    g_object_set_data_full(G_OBJECT(editor), "vpnse-page", page.release(), [](gpointer data) {
        std::unique_ptr<vpnse::nm::Page>(static_cast<vpnse::nm::Page*>(data)).reset();
    });
    return editor;
}
