#include "platform/windows/windows_service.hpp"

#include <windows.h>

#include <array>
#include <memory>
#include <system_error>

namespace vpnsed::windows_service {
namespace {

using vpnse::Error;
using vpnse::ErrorCode;

Error last_error(const std::string& what) {
    const DWORD code = ::GetLastError();
    return Error(code == ERROR_ACCESS_DENIED ? ErrorCode::permission_denied : ErrorCode::io_error,
                 what + ": " + std::system_category().message(static_cast<int>(code)));
}

struct ServiceHandleCloser {
    void operator()(SC_HANDLE handle) const noexcept { ::CloseServiceHandle(handle); }
};
using ServiceHandle = std::unique_ptr<std::remove_pointer_t<SC_HANDLE>, ServiceHandleCloser>;

// The one service this process runs, for the SCM's callbacks (which carry no user pointer into main).
struct Running {
    Daemon daemon;
    SERVICE_STATUS_HANDLE status_handle = nullptr;
    SERVICE_STATUS status{};
    int exit_code = 0;
};
Running* g_running = nullptr;

void report(DWORD state, DWORD wait_hint_ms = 0) {
    auto& status = g_running->status;
    status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status.dwCurrentState = state;
    status.dwControlsAccepted =
        state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN | SERVICE_ACCEPT_PRESHUTDOWN
                                 : 0;
    status.dwWin32ExitCode =
        state == SERVICE_STOPPED && g_running->exit_code != 0 ? ERROR_SERVICE_SPECIFIC_ERROR : NO_ERROR;
    status.dwServiceSpecificExitCode = static_cast<DWORD>(g_running->exit_code);
    status.dwWaitHint = wait_hint_ms;
    if (state != SERVICE_RUNNING && state != SERVICE_STOPPED)
        ++status.dwCheckPoint;
    else
        status.dwCheckPoint = 0;
    ::SetServiceStatus(g_running->status_handle, &status);
}

DWORD WINAPI control_handler(DWORD control, DWORD, LPVOID, LPVOID) {
    switch (control) {
        case SERVICE_CONTROL_STOP:
        case SERVICE_CONTROL_SHUTDOWN:
        case SERVICE_CONTROL_PRESHUTDOWN:
            // The daemon disconnects every tunnel (up to 10 s), then run() returns.
            report(SERVICE_STOP_PENDING, 15000);
            g_running->daemon.stop();
            return NO_ERROR;
        case SERVICE_CONTROL_INTERROGATE:
            return NO_ERROR;
        default:
            return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

void WINAPI service_main(DWORD, LPSTR*) {
    g_running->status_handle = ::RegisterServiceCtrlHandlerExA(kServiceName, control_handler, nullptr);
    if (g_running->status_handle == nullptr)
        return;
    report(SERVICE_START_PENDING, 10000);
    g_running->exit_code = g_running->daemon.run([] { report(SERVICE_RUNNING); });
    report(SERVICE_STOPPED);
}

}  // namespace

vpnse::Status install(const std::string& command_line) {
    ServiceHandle manager(::OpenSCManagerA(nullptr, nullptr, SC_MANAGER_CREATE_SERVICE));
    if (!manager)
        return last_error("open the service control manager");
    ServiceHandle service(::CreateServiceA(manager.get(), kServiceName, "vpnse VPN daemon",
                                           SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START,
                                           SERVICE_ERROR_NORMAL, command_line.c_str(), nullptr, nullptr,
                                           nullptr, nullptr, nullptr));
    if (!service)
        return last_error(std::string("create service ") + kServiceName);
    std::string text =
        "SoftEther VPN client daemon: tunnels from the profiles in %ProgramData%\\vpnse\\profiles, "
        "controlled over \\\\.\\pipe\\vpnse (vpnsectl).";
    SERVICE_DESCRIPTIONA description{text.data()};
    ::ChangeServiceConfig2A(service.get(), SERVICE_CONFIG_DESCRIPTION, &description);
    // Recovery: restart after 5 s, twice; then leave it stopped. The count resets after a day.
    std::array<SC_ACTION, 3> actions{
        {{SC_ACTION_RESTART, 5000}, {SC_ACTION_RESTART, 5000}, {SC_ACTION_NONE, 0}}};
    SERVICE_FAILURE_ACTIONSA failure{};
    failure.dwResetPeriod = 24 * 60 * 60;
    failure.cActions = static_cast<DWORD>(actions.size());
    failure.lpsaActions = actions.data();
    if (!::ChangeServiceConfig2A(service.get(), SERVICE_CONFIG_FAILURE_ACTIONS, &failure))
        return last_error("set the recovery actions");
    SERVICE_PRESHUTDOWN_INFO preshutdown{30000};
    ::ChangeServiceConfig2A(service.get(), SERVICE_CONFIG_PRESHUTDOWN_INFO, &preshutdown);
    return {};
}

vpnse::Status uninstall() {
    ServiceHandle manager(::OpenSCManagerA(nullptr, nullptr, SC_MANAGER_CONNECT));
    if (!manager)
        return last_error("open the service control manager");
    ServiceHandle service(
        ::OpenServiceA(manager.get(), kServiceName, SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE));
    if (!service)
        return last_error(std::string("open service ") + kServiceName);
    SERVICE_STATUS status{};
    if (::ControlService(service.get(), SERVICE_CONTROL_STOP, &status)) {
        for (int i = 0; i < 150 && ::QueryServiceStatus(service.get(), &status) &&
                        status.dwCurrentState != SERVICE_STOPPED;
             ++i)
            ::Sleep(100);
    }
    if (!::DeleteService(service.get()))
        return last_error(std::string("delete service ") + kServiceName);
    return {};
}

vpnse::Result<int> run_as_service(Daemon daemon) {
    Running running{std::move(daemon)};
    g_running = &running;
    std::array<SERVICE_TABLE_ENTRYA, 2> table{};
    std::string name = kServiceName;
    table[0] = {name.data(), service_main};
    const bool dispatched = ::StartServiceCtrlDispatcherA(table.data());
    g_running = nullptr;
    if (!dispatched)
        return last_error(
            "start the service dispatcher (is vpnsed.exe run started by the SCM? use --foreground)");
    return running.exit_code;
}

}  // namespace vpnsed::windows_service
