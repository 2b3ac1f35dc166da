// vpnsed composition root: settings -> log hub -> tunnel factory -> service -> front doors (control socket,
// D-Bus).
// The factory comes from make_tunnel_factory (daemon/tunnel/ in vpnsed, a fake in vpnsed_test), so this
// file is the same for the product and for the integration tests.
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "dbus/bus.hpp"
#include "dbus/dbus_service.hpp"
#include "dbus/polkit_authority.hpp"
#include "rpc/dispatcher.hpp"
#include "rpc/unix_server.hpp"
#include "service/event_bus.hpp"
#include "service/log_buffer.hpp"
#include "service/stats_ticker.hpp"
#include "service/tunnel_manager.hpp"
#include "settings/command_line.hpp"
#include "settings/daemon_settings.hpp"
#include "tunnel/tunnel_factory_linux.hpp"

namespace {

using namespace vpnsed;

// Under systemd (not --foreground), prefix lines with <N> so journald records the priority (sd-daemon(3)).
std::shared_ptr<const vpnse::LogSink> make_output_sink(bool journal_prefix) {
    auto plain = vpnse::make_stderr_sink();
    if (!journal_prefix)
        return plain;
    return std::make_shared<const vpnse::LogSink>([plain](const vpnse::LogRecord& record) {
        static const char* const prefixes[] = {SD_DEBUG, SD_DEBUG, SD_INFO, SD_WARNING, SD_ERR, SD_ERR};
        std::fputs(prefixes[static_cast<int>(record.level)], stderr);
        (*plain)(record);
    });
}

int run(int argc, char** argv) {
    auto command_line = settings::parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
    if (!command_line) {
        std::fprintf(stderr, "vpnsed: %s\n%s", command_line.error().message().c_str(),
                     settings::command_line_usage().c_str());
        return 2;
    }
    if (command_line->help) {
        std::fputs(settings::command_line_usage().c_str(), stdout);
        return 0;
    }
    if (command_line->version) {
        std::printf("vpnsed %s\n", VPNSE_VERSION);
        return 0;
    }
    auto loaded = settings::load_settings_file(command_line->config_path, !command_line->config_path_given);
    if (!loaded) {
        std::fprintf(stderr, "vpnsed: %s\n", loaded.error().message().c_str());
        return 1;
    }
    auto daemon_settings = std::move(loaded).value();
    settings::apply_overrides(*command_line, daemon_settings);
    if (auto paths = settings::check_paths(daemon_settings); !paths) {
        std::fprintf(stderr, "vpnsed: %s\n", paths.error().message().c_str());
        return 1;
    }

    asio::io_context io;
    const bool under_systemd =
        std::getenv("NOTIFY_SOCKET") != nullptr || std::getenv("JOURNAL_STREAM") != nullptr;
    auto log_buffer = std::make_shared<service::LogBuffer>(
        io, daemon_settings.log_buffer_lines, make_output_sink(under_systemd && !command_line->foreground));
    const vpnse::Logger logger(log_buffer->sink(), "vpnsed", daemon_settings.log_level);

    service::EventBus bus;
    log_buffer->set_bus(&bus);
    auto factory = tunnel::make_tunnel_factory(io, daemon_settings, logger.child("tunnel"));
    service::TunnelManager tunnels(io, *factory, daemon_settings.profile_dir, logger.child("service"), bus);
    auto initial = tunnels.reload();
    logger.info("profiles loaded", {{"count", std::to_string(tunnels.reports().size())},
                                    {"errors", std::to_string(initial.errors.size())},
                                    {"dir", daemon_settings.profile_dir}});

    // The system bus serves the D-Bus front door and reaches polkit, the API's second authority.
    std::unique_ptr<dbus::Bus> system_bus;
    std::unique_ptr<dbus::PolkitAuthority> polkit;
    if (daemon_settings.dbus_enabled) {
        system_bus = dbus::open_system_bus(io, logger.child("dbus"));
        if (system_bus)
            polkit = std::make_unique<dbus::PolkitAuthority>(*system_bus, logger.child("polkit"));
    }
    api::ServiceApi service_api(api::ServiceContext{tunnels, bus, log_buffer.get(), daemon_settings.group,
                                                    VPNSE_VERSION, logger.child("api"), polkit.get()});
    std::unique_ptr<dbus::DbusService> dbus_service;
    if (system_bus) {
        dbus_service = std::make_unique<dbus::DbusService>(*system_bus, service_api, daemon_settings.group,
                                                           logger.child("dbus"));
        if (!dbus_service->start())
            dbus_service.reset();
    }
    rpc::Dispatcher dispatcher(service_api);
    rpc::UnixServer server(
        io, dispatcher,
        rpc::ServerOptions{daemon_settings.socket_path, daemon_settings.group, daemon_settings.max_clients,
                           std::chrono::seconds(daemon_settings.client_idle_timeout_s)},
        logger.child("rpc"));
    if (auto status = server.listen(); !status) {
        logger.error("cannot start", {{"error", status.error().message()}});
        return 1;
    }
    service::StatsTicker stats(io, bus, std::chrono::milliseconds(daemon_settings.stats_interval_ms));
    stats.start();

    asio::signal_set stop_signals(io, SIGTERM, SIGINT);
    asio::signal_set reload_signal(io, SIGHUP);
    std::function<void()> wait_reload = [&] {
        reload_signal.async_wait([&](const std::error_code& ec, int) {
            if (ec)
                return;
            logger.info("SIGHUP: reloading profiles");
            auto report = tunnels.reload();
            logger.info("profiles reloaded", {{"added", std::to_string(report.added.size())},
                                              {"changed", std::to_string(report.changed.size())},
                                              {"removed", std::to_string(report.removed.size())},
                                              {"errors", std::to_string(report.errors.size())}});
            wait_reload();
        });
    };
    wait_reload();
    stop_signals.async_wait([&](const std::error_code& ec, int signal_number) {
        if (ec)
            return;
        logger.info("stopping: disconnecting every tunnel", {{"signal", std::to_string(signal_number)}});
        sd_notify(0, "STOPPING=1");
        server.stop();
        dbus_service.reset();
        stats.stop();
        reload_signal.cancel();
        tunnels.shutdown(std::chrono::seconds(10), [&] {
            stop_signals.cancel();
            io.stop();
        });
    });

    tunnels.autoconnect();
    // sd_notify is a no-op without NOTIFY_SOCKET.
    sd_notify(0, "READY=1\nSTATUS=Listening on the control socket");
    logger.info("ready", {{"socket", daemon_settings.socket_path}});
    io.run();
    logger.info("stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return run(argc, argv);
}
