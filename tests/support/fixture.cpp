#include "support/fixture.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <system_error>

#ifndef VPNSE_SOURCE_DIR
#error "VPNSE_SOURCE_DIR must be defined (string literal: the source tree root)"
#endif

namespace vpnse::test {
namespace {

constexpr const char* kVpnserverBinary = "/usr/libexec/softether/vpnserver/vpnserver";

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return std::string{s};
}

std::string unquote(std::string v) {
    if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"') && v.back() == v.front()) {
        return v.substr(1, v.size() - 2);
    }
    return v;
}

template <typename Int>
Int to_int(const std::map<std::string, std::string>& kv, const std::string& key) {
    auto it = kv.find(key);
    if (it == kv.end())
        throw std::runtime_error("fixture env: missing " + key);
    Int value{};
    const auto& s = it->second;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size()) {
        throw std::runtime_error("fixture env: " + key + " is not a number: " + s);
    }
    return value;
}

std::string get(const std::map<std::string, std::string>& kv, const std::string& key) {
    auto it = kv.find(key);
    if (it == kv.end())
        throw std::runtime_error("fixture env: missing " + key);
    return it->second;
}

void close_fds_from(int first) {
#ifdef SYS_close_range
    if (::syscall(SYS_close_range, static_cast<unsigned>(first), ~0U, 0U) == 0)
        return;
#endif
    long max = ::sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = first; fd < static_cast<int>(max); ++fd)
        ::close(fd);
}

std::string tail(const std::string& s, std::size_t lines) {
    std::size_t pos = s.size();
    while (lines-- > 0 && pos > 0) {
        pos = s.rfind('\n', pos - 1);
        if (pos == std::string::npos)
            return s;
    }
    return s.substr(pos + 1);
}

}  // namespace

SoftEtherEnv parse_softether_env(std::string_view text) {
    std::map<std::string, std::string> kv;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string line = trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (line.empty() || line.front() == '#')
            continue;
        auto eq = line.find('=');
        if (eq == std::string::npos || eq == 0)
            throw std::runtime_error("fixture env: bad line: " + line);
        kv[line.substr(0, eq)] = unquote(line.substr(eq + 1));
    }
    SoftEtherEnv e;
    e.name = get(kv, "NAME");
    e.index = to_int<int>(kv, "INDEX");
    e.state_dir = get(kv, "STATE_DIR");
    e.server_ns = get(kv, "SERVER_NS");
    e.client_ns = get(kv, "CLIENT_NS");
    e.server_if = get(kv, "SERVER_IF");
    e.client_if = get(kv, "CLIENT_IF");
    e.server_ip = get(kv, "SERVER_IP");
    e.client_ip = get(kv, "CLIENT_IP");
    e.server_port = to_int<std::uint16_t>(kv, "SERVER_PORT");
    e.server_alt_port = to_int<std::uint16_t>(kv, "SERVER_ALT_PORT");
    e.hub = get(kv, "HUB");
    e.user = get(kv, "USER");
    e.password = get(kv, "PASSWORD");
    e.user2 = get(kv, "USER2");
    e.password2 = get(kv, "PASSWORD2");
    e.user3 = get(kv, "USER3");
    e.password3 = get(kv, "PASSWORD3");
    e.user3_max_connection = to_int<int>(kv, "USER3_MAX_CONNECTION");
    e.anon_user = get(kv, "ANON_USER");
    e.vpn_subnet = get(kv, "VPN_SUBNET");
    e.vpn_netmask = get(kv, "VPN_NETMASK");
    e.vpn_gateway = get(kv, "VPN_GATEWAY");
    e.dhcp_pool_start = get(kv, "DHCP_POOL_START");
    e.dhcp_pool_end = get(kv, "DHCP_POOL_END");
    e.dhcp_lease_seconds = to_int<int>(kv, "DHCP_LEASE_SECONDS");
    e.dns = get(kv, "DNS");
    e.domain = get(kv, "DOMAIN");
    e.pushed_route = get(kv, "PUSHED_ROUTE");
    e.pushed_route_gateway = get(kv, "PUSHED_ROUTE_GATEWAY");
    e.bridge_if = get(kv, "BRIDGE_IF");
    e.bridge_host_ip = get(kv, "BRIDGE_HOST_IP");
    e.iperf_port = to_int<std::uint16_t>(kv, "IPERF_PORT");
    e.server_pid = to_int<int>(kv, "SERVER_PID");
    e.server_log = get(kv, "SERVER_LOG");
    e.server_cert_pem = get(kv, "SERVER_CERT_PEM");
    e.server_cert_sha256 = get(kv, "SERVER_CERT_SHA256");
    if (e.server_cert_sha256.size() != 64) {
        throw std::runtime_error("fixture env: SERVER_CERT_SHA256 is not 64 hex digits");
    }
    e.raw = std::move(kv);
    return e;
}

CommandResult run_command(const std::vector<std::string>& argv) {
    if (argv.empty())
        throw std::invalid_argument("run_command: empty argv");
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe2");
    if (::pipe2(err, O_CLOEXEC) != 0) {
        int e = errno;
        ::close(out[0]);
        ::close(out[1]);
        throw std::system_error(e, std::generic_category(), "pipe2");
    }
    std::vector<char*> cargv;
    cargv.reserve(argv.size() + 1);
    for (const auto& a : argv)
        cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);

    pid_t pid = ::fork();
    if (pid < 0) {
        int e = errno;
        for (int fd : {out[0], out[1], err[0], err[1]})
            ::close(fd);
        throw std::system_error(e, std::generic_category(), "fork");
    }
    if (pid == 0) {
        // Child: only async-signal-safe calls until exec.
        int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull < 0 || ::dup2(devnull, 0) < 0 || ::dup2(out[1], 1) < 0 || ::dup2(err[1], 2) < 0)
            _exit(127);
        close_fds_from(3);
        ::signal(SIGPIPE, SIG_DFL);
        ::execvp(cargv[0], cargv.data());
        _exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);

    CommandResult result;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.output, &result.errors};
    int open_fds = 2;
    char buf[4096];
    while (open_fds > 0) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                sinks[i]->append(buf, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    for (auto& f : fds) {
        if (f.fd >= 0)
            ::close(f.fd);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            throw std::system_error(errno, std::generic_category(), "waitpid");
    }
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.exit_code = 128 + WTERMSIG(status);
    }
    return result;
}

bool SoftEtherFixture::available(std::string* why) {
    auto fail = [&](const std::string& reason) {
        if (why != nullptr)
            *why = reason;
        return false;
    };
    if (::geteuid() != 0)
        return fail("not running as root");
    if (::access(kVpnserverBinary, X_OK) != 0) {
        return fail(std::string{kVpnserverBinary} + " missing (apt-get install softether-vpnserver)");
    }
    std::string script = script_path();
    if (::access(script.c_str(), X_OK) != 0)
        return fail(script + " missing or not executable");
    return true;
}

std::string SoftEtherFixture::script_path() {
    if (const char* over = std::getenv("VSE_FIXTURE_SCRIPT"); over != nullptr && *over != '\0')
        return over;
    return std::string{VPNSE_SOURCE_DIR} + "/tests/support/se-fixture";
}

std::string SoftEtherFixture::unique_name(std::string_view prefix) {
    static std::atomic<unsigned> counter{0};
    auto base36 = [](unsigned long v) {
        static constexpr char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
        std::string s;
        do {
            s.insert(s.begin(), digits[v % 36]);
            v /= 36;
        } while (v != 0);
        return s;
    };
    // pid < 2^22 → at most 5 base-36 digits; counter wraps at 36 per process.
    std::string tail_part = base36(static_cast<unsigned long>(::getpid())) + base36(counter++ % 36);
    std::string name{prefix.substr(0, 2)};
    for (char& c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok)
            c = '_';
    }
    name = name.substr(0, 8 - tail_part.size()) + tail_part;
    return name;
}

SoftEtherFixture::SoftEtherFixture(std::string name, int index, std::string client_ns)
    : name_(std::move(name)) {
    std::vector<std::string> args{"up", name_, index == 0 ? std::string{"auto"} : std::to_string(index)};
    if (!client_ns.empty()) {
        args.emplace_back("--client-ns");
        args.push_back(std::move(client_ns));
    }
    CommandResult r = script(std::move(args));
    if (!r.ok()) {
        // A failed `up` has already torn down what it created.
        throw std::runtime_error("se-fixture up " + name_ + " failed (exit " + std::to_string(r.exit_code) +
                                 "):\n" + tail(r.errors, 30));
    }
    try {
        env_ = parse_softether_env(r.output);
    } catch (...) {
        script({"down", name_});
        throw;
    }
}

SoftEtherFixture::~SoftEtherFixture() {
    try {
        CommandResult r = script({"down", name_});
        if (!r.ok()) {
            std::cerr << "se-fixture down " << name_ << " failed (exit " << r.exit_code << "):\n"
                      << r.errors << '\n';
        }
    } catch (const std::exception& e) {
        std::cerr << "se-fixture down " << name_ << ": " << e.what() << '\n';
    }
}

CommandResult SoftEtherFixture::script(std::vector<std::string> args) const {
    args.insert(args.begin(), script_path());
    return run_command(args);
}

void SoftEtherFixture::reload_env() {
    CommandResult r = script({"env", name_});
    if (!r.ok())
        throw std::runtime_error("se-fixture env " + name_ + " failed:\n" + r.errors);
    env_ = parse_softether_env(r.output);
}

CommandResult SoftEtherFixture::run_in_client_ns(const std::string& shell_command) const {
    return run_command({"ip", "netns", "exec", env_.client_ns, "sh", "-c", shell_command});
}

CommandResult SoftEtherFixture::run_in_server_ns(const std::string& shell_command) const {
    return run_command({"ip", "netns", "exec", env_.server_ns, "sh", "-c", shell_command});
}

CommandResult SoftEtherFixture::vpncmd(const std::vector<std::string>& args) const {
    std::vector<std::string> full{"vpncmd", name_};
    full.insert(full.end(), args.begin(), args.end());
    return script(std::move(full));
}

void SoftEtherFixture::stop_server(bool crash) {
    std::vector<std::string> args{"stop-server", name_};
    if (crash)
        args.emplace_back("--kill");
    CommandResult r = script(std::move(args));
    if (!r.ok())
        throw std::runtime_error("se-fixture stop-server failed:\n" + tail(r.errors, 30));
}

void SoftEtherFixture::start_server() {
    CommandResult r = script({"start-server", name_});
    if (!r.ok())
        throw std::runtime_error("se-fixture start-server failed:\n" + tail(r.errors, 30));
    reload_env();
}

void SoftEtherFixture::restart_server(bool crash) {
    std::vector<std::string> args{"restart-server", name_};
    if (crash)
        args.emplace_back("--kill");
    CommandResult r = script(std::move(args));
    if (!r.ok())
        throw std::runtime_error("se-fixture restart-server failed:\n" + tail(r.errors, 30));
    reload_env();
}

void SoftEtherFixture::kill_connections(const std::string& user) {
    std::vector<std::string> args{"kill-connections", name_};
    if (!user.empty())
        args.push_back(user);
    CommandResult r = script(std::move(args));
    if (!r.ok())
        throw std::runtime_error("se-fixture kill-connections failed:\n" + tail(r.errors, 30));
}

}  // namespace vpnse::test
