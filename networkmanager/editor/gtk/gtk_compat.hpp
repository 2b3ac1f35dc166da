#pragma once
// The few widget calls the editor page needs, for GTK 3 and GTK 4 alike (the page is built once per
// toolkit: libnm-vpn-plugin-vpnse-editor.so and libnm-gtk4-vpn-plugin-vpnse-editor.so).
#include <gtk/gtk.h>

#include <string>

namespace vpnse::nm::gtk {

inline std::string entry_text(GtkWidget* entry) {
#if GTK_MAJOR_VERSION >= 4
    const char* text = gtk_editable_get_text(GTK_EDITABLE(entry));
#else
    const char* text = gtk_entry_get_text(GTK_ENTRY(entry));
#endif
    return text ? text : "";
}

inline void set_entry_text(GtkWidget* entry, const std::string& text) {
#if GTK_MAJOR_VERSION >= 4
    gtk_editable_set_text(GTK_EDITABLE(entry), text.c_str());
#else
    gtk_entry_set_text(GTK_ENTRY(entry), text.c_str());
#endif
}

inline GtkWidget* new_check(const char* label) {
    return gtk_check_button_new_with_label(label);
}

inline bool check_active(GtkWidget* check) {
#if GTK_MAJOR_VERSION >= 4
    return gtk_check_button_get_active(GTK_CHECK_BUTTON(check));
#else
    return gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(check));
#endif
}

inline void set_check_active(GtkWidget* check, bool active) {
#if GTK_MAJOR_VERSION >= 4
    gtk_check_button_set_active(GTK_CHECK_BUTTON(check), active);
#else
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(check), active);
#endif
}

inline const char* toggled_signal() {
    return "toggled";
}

inline void show_all(GtkWidget* widget) {
#if GTK_MAJOR_VERSION >= 4
    gtk_widget_set_visible(widget, TRUE);
#else
    gtk_widget_show_all(widget);
#endif
}

inline void set_label_wrap(GtkWidget* label) {
#if GTK_MAJOR_VERSION >= 4
    gtk_label_set_wrap(GTK_LABEL(label), TRUE);
#else
    gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
#endif
}

inline void set_margins(GtkWidget* widget, int margin) {
    gtk_widget_set_margin_start(widget, margin);
    gtk_widget_set_margin_end(widget, margin);
    gtk_widget_set_margin_top(widget, margin);
    gtk_widget_set_margin_bottom(widget, margin);
}

}  // namespace vpnse::nm::gtk
