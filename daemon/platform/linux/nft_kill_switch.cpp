#include "platform/linux/nft_kill_switch.hpp"

#include <nftables/libnftables.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <memory>
#include <optional>
#include <string_view>

#include "platform/state_journal.hpp"

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

struct NftCtxFree {
    void operator()(nft_ctx* ctx) const noexcept { nft_ctx_free(ctx); }
};
using NftCtx = std::unique_ptr<nft_ctx, NftCtxFree>;

// Output and errors go to memory: libnftables' default is the daemon's stdout/stderr, where the
// caller could not see which line failed.
Result<NftCtx> new_nft_ctx(bool dry_run) {
    NftCtx ctx(nft_ctx_new(NFT_CTX_DEFAULT));
    if (!ctx)
        return Error(ErrorCode::io_error, "libnftables: nft_ctx_new failed");
    if (nft_ctx_buffer_output(ctx.get()) != 0 || nft_ctx_buffer_error(ctx.get()) != 0)
        return Error(ErrorCode::io_error, "libnftables: cannot buffer its output");
    nft_ctx_set_dry_run(ctx.get(), dry_run);
    return ctx;
}

// Closes the memfd of one diagnostic run.
class ScopedFd {
  public:
    explicit ScopedFd(int fd) : fd_(fd) {}
    ScopedFd(const ScopedFd&) = delete;
    ScopedFd& operator=(const ScopedFd&) = delete;
    ~ScopedFd() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    int get() const { return fd_; }

  private:
    int fd_;
};

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const auto n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// libnftables (up to at least 1.0.6) reports errors in buffer input without a line number and
// always echoes the buffer's first line. The same script run from a file is reported as
// "file:line:col", so the error path repeats it as a dry run (checked by the kernel, never
// committed) from a memfd. Empty when that is not possible.
std::string dry_run_errors_from_file(const std::string& ruleset) {
    const ScopedFd fd(::memfd_create("vpnse-nft", MFD_CLOEXEC));
    if (fd.get() < 0 || !write_all(fd.get(), ruleset))
        return {};
    auto ctx = new_nft_ctx(true);
    if (!ctx)
        return {};
    const std::string path = "/proc/self/fd/" + std::to_string(fd.get());
    if (nft_run_cmd_from_filename(ctx->get(), path.c_str()) == 0)
        return {};
    return nft_ctx_get_error_buffer(ctx->get());
}

// One error record of a libnftables error buffer.
struct NftDiagnostic {
    std::string message;
    std::optional<std::size_t> line;
};

std::optional<std::size_t> location_line(std::string_view prefix) {
    // prefix is "name:line:first-last"; the name may itself contain ':'.
    const auto columns = prefix.rfind(':');
    if (columns == std::string_view::npos || columns == 0)
        return std::nullopt;
    const auto line_start = prefix.rfind(':', columns - 1);
    if (line_start == std::string_view::npos)
        return std::nullopt;
    const auto digits = prefix.substr(line_start + 1, columns - line_start - 1);
    std::size_t line = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), line);
    if (ec != std::errc() || end != digits.data() + digits.size() || line == 0)
        return std::nullopt;
    return line;
}

// The first error of a libnftables error buffer: its message and, when the record starts with a
// "name:line:first-last: " location, the line.
std::optional<NftDiagnostic> first_error(std::string_view errors) {
    constexpr std::string_view marker = "Error: ";
    const auto at = errors.find(marker);
    if (at == std::string_view::npos)
        return std::nullopt;
    const auto record_start = errors.rfind('\n', at);
    const auto begin = record_start == std::string_view::npos ? 0 : record_start + 1;
    auto message = errors.substr(at + marker.size());
    message = message.substr(0, message.find('\n'));
    std::optional<std::size_t> line;
    if (at >= begin + 2 && errors.substr(at - 2, 2) == ": ")
        line = location_line(errors.substr(begin, at - 2 - begin));
    return NftDiagnostic{std::string(message), line};
}

// Line `number` (1-based) of `text` without its indentation; empty when out of range.
std::string text_of_line(const std::string& text, std::size_t number) {
    std::size_t begin = 0;
    for (std::size_t n = 1; n < number; ++n) {
        begin = text.find('\n', begin);
        if (begin == std::string::npos)
            return {};
        begin += 1;
    }
    auto end = text.find('\n', begin);
    if (end == std::string::npos)
        end = text.size();
    begin = std::min(text.find_first_not_of(' ', begin), end);
    return text.substr(begin, end - begin);
}

Error ruleset_error(const std::string& ruleset, const std::string& errors) {
    auto diagnostic = first_error(errors);
    if (!diagnostic || !diagnostic->line) {
        if (auto located = first_error(dry_run_errors_from_file(ruleset)); located && located->line)
            diagnostic = located;
    }
    // Without CAP_NET_ADMIN every command fails the same way; that is what the caller must fix.
    const auto code = errors.find("Operation not permitted") != std::string::npos
                          ? ErrorCode::permission_denied
                          : ErrorCode::io_error;
    if (!diagnostic)
        return Error(code,
                     "libnftables rejected the ruleset: " + (errors.empty() ? "no reason given" : errors));
    std::string message = "libnftables: " + diagnostic->message;
    if (diagnostic->line) {
        message += " (ruleset line " + std::to_string(*diagnostic->line);
        if (auto text = text_of_line(ruleset, *diagnostic->line); !text.empty())
            message += ": " + text;
        message += ")";
    }
    return Error(code, message);
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
        // UDP acceleration: the server's UDP socket is on the first free port of 40000-44999
        // (softether-protocol-advanced.md 1.4); elsewhere the session just stays on TCP.
        out += "    " + fam + " " + dir_addr + " " + server + " udp " + dir_port + " 40000-44999 accept\n";
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
    if (auto st = load_nft_ruleset(*script); !st)
        return st;
    log_.info("kill switch engaged", {{"table", kill_switch_table_name(settings.tunnel_id)}});
    return {};
}

Status NftKillSwitch::release(const KillSwitchRecord& record) {
    if (record.table.rfind("inet vpnse_", 0) != 0 || !is_valid_tunnel_id(record.table.substr(11)))
        return Error(ErrorCode::invalid_argument, "not a vpnse table: '" + record.table + "'");
    // "add" first: deleting a table that is not there is an error, releasing one is not.
    if (auto st = load_nft_ruleset("add table " + record.table + "\ndelete table " + record.table + "\n");
        !st)
        return st;
    log_.info("kill switch released", {{"table", record.table}});
    return {};
}

Status load_nft_ruleset(const std::string& ruleset) {
    auto ctx = new_nft_ctx(false);
    if (!ctx)
        return std::move(ctx).error();
    if (nft_run_cmd_from_buffer(ctx->get(), ruleset.c_str()) == 0)
        return {};
    return ruleset_error(ruleset, nft_ctx_get_error_buffer(ctx->get()));
}

}  // namespace vpnse::platform
