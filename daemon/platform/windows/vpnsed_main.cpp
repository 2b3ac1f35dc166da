// vpnsed.exe, the Windows composition root (daemon/main.cpp is Linux's): settings from
// %ProgramData%\vpnse\vpnsed.toml -> log hub -> tunnel factory -> service -> the named-pipe front door.
//   vpnsed.exe install [OPTIONS]        register the service (as Administrator); it starts as `run OPTIONS`
//   vpnsed.exe uninstall                remove it
//   vpnsed.exe run [OPTIONS]            what the Service Control Manager starts
//   vpnsed.exe --foreground [OPTIONS]   in a console; Ctrl+C stops it
// OPTIONS are vpnsed's (--config, --profile-dir, --state-dir, --socket PIPE_NAME, --log-level) and
// --no-adapter: session-only tunnels (the SoftEther session without a Wintun adapter, IP packets
// dropped), for machines without Wintun such as wine (tests/windows/test.sh).
#include <windows.h>

#include <knownfolders.h>
#include <shlobj.h>

#include <algorithm>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "platform/windows/pipe_server.hpp"
#include "platform/windows/session_tunnel.hpp"
#include "platform/windows/windows_service.hpp"
#include "platform/windows/wintun_tunnel_factory.hpp"
#include "rpc/dispatcher.hpp"
#include "service/event_bus.hpp"
#include "service/log_buffer.hpp"
#include "service/stats_ticker.hpp"
#include "service/tunnel_manager.hpp"
#include "settings/command_line.hpp"
#include "settings/daemon_settings.hpp"

namespace {

using namespace vpnsed;

// %ProgramData%\vpnse, from the known folder rather than the environment: a service's environment is the
// SYSTEM account's, whose %ProgramData% need not be the machine's (wine sets it to C:\users\Public).
std::filesystem::path program_data_dir() {
    PWSTR path = nullptr;
    std::filesystem::path base = R"(C:\ProgramData)";
    if (SUCCEEDED(::SHGetKnownFolderPath(FOLDERID_ProgramData, 0, nullptr, &path)))
        base = path;
    ::CoTaskMemFree(path);
    return base / "vpnse";
}

// The Linux defaults of DaemonSettings become their %ProgramData% and pipe counterparts; whatever
// vpnsed.toml or the command line says wins.
void apply_windows_defaults(settings::DaemonSettings& daemon_settings) {
    const settings::DaemonSettings linux_defaults;
    const auto base = program_data_dir();
    if (daemon_settings.profile_dir == linux_defaults.profile_dir)
        daemon_settings.profile_dir = (base / "profiles").string();
    if (daemon_settings.state_dir == linux_defaults.state_dir)
        daemon_settings.state_dir = (base / "state").string();
    if (daemon_settings.socket_path == linux_defaults.socket_path)
        daemon_settings.socket_path = rpc::kDefaultPipeName;
    daemon_settings.dbus_enabled = false;
}

std::string computer_name() {
    char name[MAX_COMPUTERNAME_LENGTH + 1] = {};
    DWORD size = sizeof name;
    return ::GetComputerNameA(name, &size) ? std::string(name, size) : std::string("vpnse");
}

// Everything between "listening" and "stopped"; `stop` may be called from any thread.
class DaemonRun {
  public:
    DaemonRun(settings::DaemonSettings daemon_settings, bool with_adapter,
              std::shared_ptr<const vpnse::LogSink> output)
        : settings_(std::move(daemon_settings)), with_adapter_(with_adapter), output_(std::move(output)) {}

    int run(const std::function<void()>& ready) {
        auto log_buffer = std::make_shared<service::LogBuffer>(io_, settings_.log_buffer_lines, output_);
        const vpnse::Logger logger(log_buffer->sink(), "vpnsed", settings_.log_level);
        service::EventBus bus;
        log_buffer->set_bus(&bus);
        std::error_code ec;
        std::filesystem::create_directories(settings_.profile_dir, ec);
        auto factory =
            with_adapter_ ? tunnel::make_wintun_tunnel_factory(io_, settings_, logger)
                          : tunnel::make_session_tunnel_factory(io_, logger.child("tunnel"), computer_name());
        service::TunnelManager tunnels(io_, *factory, settings_.profile_dir, logger.child("service"), bus);
        auto initial = tunnels.reload();
        logger.info("profiles loaded", {{"count", std::to_string(tunnels.reports().size())},
                                        {"errors", std::to_string(initial.errors.size())},
                                        {"dir", settings_.profile_dir}});
        api::ServiceApi service_api(api::ServiceContext{tunnels, bus, log_buffer.get(), settings_.group,
                                                        VPNSE_VERSION, logger.child("api"), nullptr});
        rpc::Dispatcher dispatcher(service_api);
        rpc::PipeServer server(
            io_, dispatcher,
            rpc::PipeServerOptions{settings_.socket_path, settings_.group, settings_.max_clients,
                                   std::chrono::seconds(settings_.client_idle_timeout_s)},
            logger.child("rpc"));
        if (auto status = server.listen(); !status) {
            logger.error("cannot start", {{"error", status.error().message()}});
            return 1;
        }
        service::StatsTicker stats(io_, bus, std::chrono::milliseconds(settings_.stats_interval_ms));
        stats.start();
        stop_ = [&] {
            logger.info("stopping: disconnecting every tunnel");
            server.stop();
            stats.stop();
            tunnels.shutdown(std::chrono::seconds(10), [&] { io_.stop(); });
        };
        tunnels.autoconnect();
        logger.info("ready", {{"pipe", settings_.socket_path}});
        if (ready)
            ready();
        io_.run();
        logger.info("stopped");
        return 0;
    }

    void stop() {
        asio::post(io_, [this] {
            if (stop_)
                std::exchange(stop_, nullptr)();
        });
    }

    asio::io_context& io() { return io_; }

  private:
    settings::DaemonSettings settings_;
    bool with_adapter_;
    std::shared_ptr<const vpnse::LogSink> output_;
    asio::io_context io_;
    std::function<void()> stop_;
};

// %ProgramData%\vpnse\vpnsed.log, appended to; null if it cannot be opened.
std::shared_ptr<std::FILE> open_service_log() {
    const auto dir = program_data_dir();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::FILE* file = ::_wfopen((dir / "vpnsed.log").wstring().c_str(), L"ab");
    if (file == nullptr)
        return nullptr;
    return std::shared_ptr<std::FILE>(file, [](std::FILE* f) { std::fclose(f); });
}

// `vpnsed.exe install [OPTIONS]`: the service runs `vpnsed.exe run OPTIONS`. The options are checked
// here, so a mistake fails the install, not every start of the service.
int install_service(const std::vector<std::string>& options) {
    std::vector<std::string> checked = options;
    std::erase(checked, std::string("--no-adapter"));
    auto command_line = settings::parse_command_line(checked);
    if (!command_line || command_line->help || command_line->version) {
        std::fprintf(stderr, "vpnsed: %s\n",
                     command_line ? "install takes the options of run, not --help or --version"
                                  : command_line.error().message().c_str());
        return 2;
    }
    char path[MAX_PATH] = {};
    ::GetModuleFileNameA(nullptr, path, MAX_PATH);
    std::string service_command = std::string("\"") + path + "\" run";
    for (const auto& option : options) {
        if (option.find('"') != std::string::npos) {
            std::fprintf(stderr, "vpnsed: an option of the service cannot contain '\"': %s\n",
                         option.c_str());
            return 2;
        }
        service_command += " \"" + option + "\"";
    }
    auto status = windows_service::install(service_command);
    std::fprintf(stderr, "vpnsed: %s\n",
                 status ? "service vpnse installed" : status.error().message().c_str());
    return status ? 0 : 1;
}

int run(std::vector<std::string> args) {
    std::string mode = "--foreground";
    if (!args.empty() && (args[0] == "install" || args[0] == "uninstall" || args[0] == "run")) {
        mode = args[0];
        args.erase(args.begin());
    }
    if (mode == "install")
        return install_service(args);
    if (mode == "uninstall") {
        auto status = windows_service::uninstall();
        std::fprintf(stderr, "vpnsed: %s\n",
                     status ? "service vpnse removed" : status.error().message().c_str());
        return status ? 0 : 1;
    }

    // vpnsed.exe's own option; the rest are vpnsed's on every OS.
    const auto no_adapter = std::find(args.begin(), args.end(), "--no-adapter");
    const bool with_adapter = no_adapter == args.end();
    if (!with_adapter)
        args.erase(no_adapter);
    auto command_line = settings::parse_command_line(args);
    if (!command_line) {
        std::fprintf(stderr, "vpnsed: %s\n%s", command_line.error().message().c_str(),
                     settings::command_line_usage().c_str());
        return 2;
    }
    if (command_line->help) {
        std::fputs(
            "Usage: vpnsed.exe install [OPTIONS] | uninstall | run [OPTIONS] | --foreground [OPTIONS]\n"
            "  --no-adapter             session-only tunnels: no Wintun adapter, IP packets dropped\n",
            stdout);
        std::fputs(settings::command_line_usage().c_str(), stdout);
        return 0;
    }
    if (command_line->version) {
        std::printf("vpnsed %s\n", VPNSE_VERSION);
        return 0;
    }
    const auto config_path = command_line->config_path_given
                                 ? std::filesystem::path(command_line->config_path)
                                 : program_data_dir() / "vpnsed.toml";
    auto loaded = settings::load_settings_file(config_path, !command_line->config_path_given);
    if (!loaded) {
        std::fprintf(stderr, "vpnsed: %s\n", loaded.error().message().c_str());
        return 1;
    }
    auto daemon_settings = std::move(loaded).value();
    apply_windows_defaults(daemon_settings);
    settings::apply_overrides(*command_line, daemon_settings);

    if (mode == "run") {
        // The SCM gives a service no console: the log goes to %ProgramData%\vpnse\vpnsed.log. (Reopening
        // stderr onto it wrote nothing in a service under wine; the daemon writes to the file itself.)
        auto log_file = open_service_log();
        auto output = log_file ? vpnse::make_file_sink(log_file) : vpnse::make_stderr_sink();
        DaemonRun daemon(daemon_settings, with_adapter, output);
        auto code = windows_service::run_as_service(windows_service::Daemon{
            [&](std::function<void()> ready) { return daemon.run(ready); }, [&] { daemon.stop(); }});
        if (!code) {
            const std::vector<vpnse::LogField> no_fields;
            (*output)(vpnse::LogRecord{vpnse::LogLevel::error, "vpnsed", code.error().message(), no_fields});
            return 1;
        }
        return *code;
    }
    DaemonRun daemon(daemon_settings, with_adapter, vpnse::make_stderr_sink());
    asio::signal_set stop_signals(daemon.io(), SIGINT, SIGTERM);
    stop_signals.async_wait([&](const std::error_code& ec, int) {
        if (!ec)
            daemon.stop();
    });
    return daemon.run(nullptr);
}

}  // namespace

int main(int argc, char** argv) {
    return run(std::vector<std::string>(argv + 1, argv + argc));
}
