// Drives the vpnse NetworkManager editor page the way a person would, under Xvfb: loads
// libnm-vpn-plugin-vpnse.so like nmcli/GNOME Settings do, shows the page for a connection, fills fields
// through the widget tree (by the widget names the page gives them), saves, and prints what NM would store.
// Built once per toolkit; tests/gui/CMakeLists.txt runs both and checks the output.
//   nm_editor_probe PLUGIN.so SCREENSHOT.png
#include <gtk/gtk.h>

#include <cstdio>
#include <functional>
#include <string>

#include "editor/gtk/gtk_compat.hpp"
#include "nm/libnm.hpp"

namespace {

using vpnse::nm::gtk::set_check_active;
using vpnse::nm::gtk::set_entry_text;

GtkWidget* find(GtkWidget* root, const char* name) {
    if (std::string(gtk_widget_get_name(root)) == name)
        return root;
#if GTK_MAJOR_VERSION >= 4
    for (auto* child = gtk_widget_get_first_child(root); child; child = gtk_widget_get_next_sibling(child))
        if (auto* found = find(child, name))
            return found;
#else
    if (GTK_IS_CONTAINER(root)) {
        GList* children = gtk_container_get_children(GTK_CONTAINER(root));
        GtkWidget* found = nullptr;
        for (GList* it = children; it && !found; it = it->next)
            found = find(GTK_WIDGET(it->data), name);
        g_list_free(children);
        if (found)
            return found;
    }
#endif
    return nullptr;
}

GtkWidget* must_find(GtkWidget* root, const char* name) {
    auto* widget = find(root, name);
    if (!widget) {
        std::fprintf(stderr, "no widget named %s\n", name);
        std::exit(1);
    }
    return widget;
}

void pump(int milliseconds) {
    const gint64 until = g_get_monotonic_time() + milliseconds * 1000;
    while (g_get_monotonic_time() < until) {
        while (g_main_context_iteration(nullptr, FALSE)) {
        }
        g_usleep(10000);
    }
}

bool save_screenshot(GtkWidget* window, const char* path) {
#if GTK_MAJOR_VERSION >= 4
    const int width = gtk_widget_get_width(window), height = gtk_widget_get_height(window);
    GdkPaintable* paintable = gtk_widget_paintable_new(window);
    GtkSnapshot* snapshot = gtk_snapshot_new();
    gdk_paintable_snapshot(paintable, GDK_SNAPSHOT(snapshot), width, height);
    GskRenderNode* node = gtk_snapshot_free_to_node(snapshot);
    bool saved = false;
    if (node) {
        graphene_rect_t bounds =
            GRAPHENE_RECT_INIT(0, 0, static_cast<float>(width), static_cast<float>(height));
        GdkTexture* texture =
            gsk_renderer_render_texture(gtk_native_get_renderer(GTK_NATIVE(window)), node, &bounds);
        saved = gdk_texture_save_to_png(texture, path);
        g_object_unref(texture);
        gsk_render_node_unref(node);
    }
    g_object_unref(paintable);
    return saved;
#else
    GdkWindow* gdk_window = gtk_widget_get_window(window);
    GdkPixbuf* pixbuf = gdk_pixbuf_get_from_window(gdk_window, 0, 0, gdk_window_get_width(gdk_window),
                                                   gdk_window_get_height(gdk_window));
    const bool saved = pixbuf && gdk_pixbuf_save(pixbuf, path, "png", nullptr, nullptr);
    if (pixbuf)
        g_object_unref(pixbuf);
    return saved;
#endif
}

NMConnection* existing_connection() {
    NMConnection* connection = nm_simple_connection_new();
    auto* general = NM_SETTING_CONNECTION(nm_setting_connection_new());
    g_object_set(general, NM_SETTING_CONNECTION_ID, "Office", NM_SETTING_CONNECTION_UUID,
                 "8c105fe1-f2d3-4e5f-a6b7-c8d9e0f1a2b3", NM_SETTING_CONNECTION_TYPE,
                 NM_SETTING_VPN_SETTING_NAME, nullptr);
    nm_connection_add_setting(connection, NM_SETTING(general));
    auto* vpn = NM_SETTING_VPN(nm_setting_vpn_new());
    g_object_set(vpn, NM_SETTING_VPN_SERVICE_TYPE, "org.freedesktop.NetworkManager.vpnse", nullptr);
    nm_setting_vpn_add_data_item(vpn, "host", "vpn.example.com");
    nm_setting_vpn_add_data_item(vpn, "hub", "ACME");
    nm_setting_vpn_add_data_item(vpn, "user", "bob");
    nm_setting_vpn_add_data_item(vpn, "verify", "insecure");
    nm_setting_vpn_add_data_item(vpn, "reconnect-delay-ms", "5000");  // no row on the page: kept as it is
    nm_connection_add_setting(connection, NM_SETTING(vpn));
    return connection;
}

void print_vpn(NMConnection* connection) {
    NMSettingVpn* vpn = nm_connection_get_setting_vpn(connection);
    nm_setting_vpn_foreach_data_item(
        vpn, [](const char* key, const char* value, gpointer) { std::printf("data %s=%s\n", key, value); },
        nullptr);
    nm_setting_vpn_foreach_secret(
        vpn, [](const char* key, const char* value, gpointer) { std::printf("secret %s=%s\n", key, value); },
        nullptr);
    NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;
    nm_setting_get_secret_flags(NM_SETTING(vpn), "password", &flags, nullptr);
    std::printf("password-flags %d\n", static_cast<int>(flags));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: nm_editor_probe PLUGIN.so SCREENSHOT.png\n");
        return 2;
    }
#if GTK_MAJOR_VERSION >= 4
    gtk_init();
#else
    gtk_init(&argc, &argv);
#endif
    GError* error = nullptr;
    NMVpnEditorPlugin* plugin = nm_vpn_editor_plugin_load_from_file(
        argv[1], "org.freedesktop.NetworkManager.vpnse", -1, nullptr, nullptr, &error);
    if (!plugin) {
        std::fprintf(stderr, "load: %s\n", error->message);
        return 1;
    }
    NMConnection* connection = existing_connection();
    NMVpnEditor* editor = nm_vpn_editor_plugin_get_editor(plugin, connection, &error);
    if (!editor) {
        std::fprintf(stderr, "editor: %s\n", error->message);
        return 1;
    }
    int changes = 0;
    g_signal_connect(editor, "changed",
                     G_CALLBACK(+[](NMVpnEditor*, gpointer count) { ++*static_cast<int*>(count); }),
                     &changes);
    GtkWidget* page = GTK_WIDGET(nm_vpn_editor_get_widget(editor));
#if GTK_MAJOR_VERSION >= 4
    GtkWidget* window = gtk_window_new();
    gtk_window_set_child(GTK_WINDOW(window), page);
#else
    GtkWidget* window = gtk_window_new(GTK_WINDOW_TOPLEVEL);
    gtk_container_add(GTK_CONTAINER(window), page);
#endif
    gtk_window_set_title(GTK_WINDOW(window), "vpnse — NetworkManager editor page");
    vpnse::nm::gtk::show_all(window);
#if GTK_MAJOR_VERSION >= 4
    gtk_window_present(GTK_WINDOW(window));
#endif
    pump(300);
    std::printf("loaded hub=%s\n", vpnse::nm::gtk::entry_text(must_find(page, "hub")).c_str());

    // What a person changes on the page.
    set_entry_text(must_find(page, "hub"), "SALES");
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(must_find(page, "max-connections")), 4);
    set_check_active(must_find(page, "half-connection"), true);
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(must_find(page, "routes")), "full");
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(must_find(page, "verify")), "fingerprint");
    set_entry_text(must_find(page, "fingerprint"), std::string(64, 'a'));
    set_entry_text(must_find(page, "password"), "s3cret");
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(must_find(page, "password-storage")), "agent");
    pump(300);
    std::printf("changes %d\n", changes);
    std::printf("message '%s'\n", gtk_label_get_text(GTK_LABEL(must_find(page, "message"))));
    if (!save_screenshot(window, argv[2]))
        std::printf("screenshot failed\n");
    if (!nm_vpn_editor_update_connection(editor, connection, &error)) {
        std::printf("update failed: %s\n", error->message);
        return 1;
    }
    print_vpn(connection);

    // A mistake is shown on the page and refused on save.
    set_entry_text(must_find(page, "host"), "");
    pump(100);
    std::printf("message '%s'\n", gtk_label_get_text(GTK_LABEL(must_find(page, "message"))));
    g_clear_error(&error);
    if (nm_vpn_editor_update_connection(editor, connection, &error))
        std::printf("update accepted an empty host\n");
    else
        std::printf("refused: %s\n", error->message);
    return 0;
}
