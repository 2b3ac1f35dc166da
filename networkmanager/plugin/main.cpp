// nm-vpnse-service: started by NetworkManager (the .name file's program) for vpnse connections.
#include <glib-unix.h>
#include <glib.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "nm/connection_settings.hpp"
#include "plugin/vpnse_plugin.hpp"

int main(int argc, char** argv) {
    std::string bus_name = vpnse::nm::kServiceType;
    auto level = vpnse::LogLevel::info;
    for (int i = 1; i < argc; ++i) {
        // NetworkManager passes --bus-name for plugins that support several connections at once.
        if (std::strcmp(argv[i], "--bus-name") == 0 && i + 1 < argc)
            bus_name = argv[++i];
        else if (std::strcmp(argv[i], "--debug") == 0)
            level = vpnse::LogLevel::debug;
        else {
            std::fprintf(stderr, "usage: nm-vpnse-service [--bus-name NAME] [--debug]\n");
            return 2;
        }
    }
    // NM reads what its plugins print on stderr into its own log.
    const vpnse::Logger logger(vpnse::make_stderr_sink(), "nm-vpnse", level);
    std::string error;
    auto plugin = vpnse::nm::make_plugin(bus_name, logger, error);
    if (!plugin) {
        logger.error("cannot register on the system bus", {{"name", bus_name}, {"error", error}});
        return 1;
    }
    GMainLoop* loop = g_main_loop_new(nullptr, FALSE);
    g_signal_connect_swapped(plugin.get(), "quit", G_CALLBACK(g_main_loop_quit), loop);
    auto quit = [](gpointer data) -> gboolean {
        g_main_loop_quit(static_cast<GMainLoop*>(data));
        return G_SOURCE_CONTINUE;
    };
    g_unix_signal_add(SIGTERM, quit, loop);
    g_unix_signal_add(SIGINT, quit, loop);
    g_main_loop_run(loop);
    GDBusConnection* bus = nm_vpn_service_plugin_get_connection(plugin.get());
    plugin.reset();  // a running tunnel is torn down with its session
    // libnm queues its last signals (the failure reason, state "stopped") on GDBus's worker thread; leaving
    // before they are written makes NM see the service vanish and report "stopped unexpectedly" instead.
    if (bus) {
        g_dbus_connection_flush_sync(bus, nullptr, nullptr);
        g_object_unref(bus);
    }
    g_main_loop_unref(loop);
    return 0;
}
