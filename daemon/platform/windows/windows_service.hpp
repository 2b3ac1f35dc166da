#pragma once
// vpnsed.exe as a Windows service: registration with the Service Control Manager (install, uninstall)
// and the SCM side of `vpnsed.exe run` (service main, control handler). Stop, shutdown and pre-shutdown
// all ask the daemon to disconnect every tunnel cleanly before the service reports stopped.
#include <functional>
#include <string>

#include "vpnse/result.hpp"

namespace vpnsed::windows_service {

inline constexpr const char* kServiceName = "vpnse";

// Registers `command_line` (the full path of vpnsed.exe plus " run") as an automatic, own-process service
// running as LocalSystem, with recovery (restart after 5 s, twice, failure count reset after a day) and a
// 30 s pre-shutdown timeout.
vpnse::Status install(const std::string& command_line);
// Stops the service if it runs, then deletes it.
vpnse::Status uninstall();

// What the service runs: `stop` must be called (from any thread) to end it; run() returns when it has.
struct Daemon {
    std::function<int(std::function<void()> ready)> run;  // `ready` once listening
    std::function<void()> stop;
};
// Hands the process to the SCM (StartServiceCtrlDispatcher) and runs `daemon` as the service; returns
// the daemon's exit code, or an error when not started by the SCM.
vpnse::Result<int> run_as_service(Daemon daemon);

}  // namespace vpnsed::windows_service
