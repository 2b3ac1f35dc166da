#include "platform/linux/nft_kill_switch.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "platform/state_journal.hpp"

extern char** environ;

namespace vpnse::platform {

namespace {

bool valid_ifname(const std::string& name) {
    if (name.empty() || name.size() > 15)
        return false;
    for (char c : name)
        if (c == '"' || c == '\\' || c == ' ' || c == '/' || static_cast<unsigned char>(c) < 0x21)
            return false;
    return true;
}

std::string family_keyword(const IpAddress& address) {
    return address.is_v4() ? "ip" : "ip6";
}

}  // namespace

std::string kill_switch_table_name(const std::string& tunnel_id) {
    return "vpnse_" + tunnel_id;
}

Result<std::string> render_kill_switch_ruleset(const KillSwitchSettings& s) {
    if (!is_valid_tunnel_id(s.tunnel_id))
        return Error(ErrorCode::invalid_argument, "bad tunnel id '" + s.tunnel_id + "'");
    if (!valid_ifname(s.ifname))
        return Error(ErrorCode::invalid_argument, "bad interface name '" + s.ifname + "'");
    const std::string table = kill_switch_table_name(s.tunnel_id);
    const std::string server = s.server.address.to_string();
    const std::string port = std::to_string(s.server.port);
    const std::string fam = family_keyword(s.server.address);

    std::string out;
    // "add" then "delete" makes the replace work whether or not the table exists.
    out += "add table inet " + table + "\n";
    out += "delete table inet " + table + "\n";
    out += "table inet " + table + " {\n";
    for (const bool output : {true, false}) {
        const std::string dir_if = output ? "oifname" : "iifname";
        const std::string dir_addr = output ? "daddr" : "saddr";
        const std::string dir_port = output ? "dport" : "sport";
        out += std::string("  chain ") + (output ? "output" : "input") + " {\n";
        out += std::string("    type filter hook ") + (output ? "output" : "input") +
               " priority filter; policy drop;\n";
        out += "    " + dir_if + " \"lo\" accept\n";
        out += "    " + dir_if + " \"" + s.ifname + "\" accept\n";
        out += "    " + fam + " " + dir_addr + " " + server + " meta l4proto { tcp, udp } th " + dir_port +
               " " + port + " accept\n";
        for (const auto& allowed : s.allow)
            out += "    " + family_keyword(allowed.address) + " " + dir_addr + " " +
                   allowed.network().to_string() + " accept\n";
        // Keep the uplink itself alive: DHCPv4 lease renewal and IPv6 neighbour/router discovery.
        out += std::string("    udp ") + (output ? "sport 68 udp dport 67" : "sport 67 udp dport 68") +
               " accept\n";
        out +=
            "    icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert "
            "} "
            "accept\n";
        out += "  }\n";
    }
    out += "}\n";
    return out;
}

KillSwitchRecord NftKillSwitch::describe(const KillSwitchSettings& settings) const {
    return KillSwitchRecord{"inet " + kill_switch_table_name(settings.tunnel_id)};
}

Status NftKillSwitch::engage(const KillSwitchSettings& settings) {
    auto script = render_kill_switch_ruleset(settings);
    if (!script)
        return std::move(script).error();
    if (auto st = run_nft(*script); !st)
        return st;
    log_.info("kill switch engaged", {{"table", kill_switch_table_name(settings.tunnel_id)}});
    return {};
}

Status NftKillSwitch::release(const KillSwitchRecord& record) {
    if (record.table.rfind("inet vpnse_", 0) != 0 || !is_valid_tunnel_id(record.table.substr(11)))
        return Error(ErrorCode::invalid_argument, "not a vpnse table: '" + record.table + "'");
    if (auto st = run_nft("add table " + record.table + "\ndelete table " + record.table + "\n"); !st)
        return st;
    log_.info("kill switch released", {{"table", record.table}});
    return {};
}

Status NftKillSwitch::run_nft(const std::string& script) const {
    int in_pipe[2];
    int err_pipe[2];
    // stdin is a socketpair so an early-exiting nft gives EPIPE, not a daemon-killing SIGPIPE.
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pipe) != 0)
        return Error(ErrorCode::io_error, std::string("socketpair: ") + std::strerror(errno));
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
        ::close(in_pipe[0]);
        ::close(in_pipe[1]);
        return Error(ErrorCode::io_error, std::string("pipe: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    std::string arg0 = nft_, arg1 = "-f", arg2 = "-";
    char* argv[] = {arg0.data(), arg1.data(), arg2.data(), nullptr};
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, nft_.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in_pipe[0]);
    ::close(err_pipe[1]);
    if (rc != 0) {
        ::close(in_pipe[1]);
        ::close(err_pipe[0]);
        return Error(rc == ENOENT ? ErrorCode::not_found : ErrorCode::io_error,
                     "spawn " + nft_ + ": " + std::strerror(rc));
    }
    // The script is a few hundred bytes, well under the socket buffer: no deadlock with stderr.
    std::size_t done = 0;
    while (done < script.size()) {
        const auto n = ::send(in_pipe[1], script.data() + done, script.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    ::close(in_pipe[1]);
    std::string errors;
    char buf[1024];
    for (;;) {
        const auto n = ::read(err_pipe[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        errors.append(buf, static_cast<std::size_t>(n));
    }
    ::close(err_pipe[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return Error(ErrorCode::io_error, "nft failed: " + errors);
    return {};
}

}  // namespace vpnse::platform
