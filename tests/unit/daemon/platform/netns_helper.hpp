#pragma once
// Runs kernel-touching test code in a forked child inside fresh network + mount namespaces, so
// the host's links, routes and rules are never touched. The child reports a failure text (empty
// = success) through a pipe; Catch2 assertions stay in the parent.
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>

#include "support/skip.hpp"  // VPNSE_SKIP_OR_FAIL for the kernel cases that need root

namespace platform_test {

inline bool is_root() {
    return ::geteuid() == 0;
}

inline std::string run_in_netns(const std::function<std::string()>& body) {
    int fds[2];
    if (::pipe(fds) != 0)
        return "pipe failed";
    const pid_t pid = ::fork();
    if (pid < 0)
        return "fork failed";
    if (pid == 0) {
        ::close(fds[0]);
        std::string result;
        // Private propagation first, so no mount made by the test can reach the host.
        if (::unshare(CLONE_NEWNET | CLONE_NEWNS) != 0 ||
            ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
            result = "unshare failed";
        } else {
            try {
                result = body();
            } catch (const std::exception& e) {
                result = std::string("exception: ") + e.what();
            }
        }
        std::size_t done = 0;
        while (done < result.size()) {
            const auto n = ::write(fds[1], result.data() + done, result.size() - done);
            if (n <= 0)
                break;
            done += static_cast<std::size_t>(n);
        }
        ::_exit(result.empty() ? 0 : 1);
    }
    ::close(fds[1]);
    std::string out;
    char buf[4096];
    for (;;) {
        const auto n = ::read(fds[0], buf, sizeof buf);
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (out.empty() && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        out = "child failed without a message";
    return out;
}

// Test-only: runs a shell command in the child's namespaces and returns its stdout.
inline std::string sh(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr)
        return out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0)
        out.append(buf, n);
    ::pclose(pipe);
    return out;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace platform_test
