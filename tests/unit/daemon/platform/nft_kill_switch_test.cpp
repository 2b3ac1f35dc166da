#include <catch2/catch.hpp>
#include <string>

#include "netns_helper.hpp"
#include "platform/linux/nft_kill_switch.hpp"

using namespace vpnse::platform;
using platform_test::contains;

namespace {

// The failure text of `body`: in a fresh network namespace as root (nothing it loads can reach the
// host's ruleset), else in this process, where libnftables cannot change anything anyway.
std::string isolated(const std::function<std::string()>& body) {
    return platform_test::is_root() ? platform_test::run_in_netns(body) : body();
}

// Expects `ruleset` to be rejected with an error quoting `line`.
std::string rejected_quoting(const std::string& ruleset, const std::string& line) {
    const auto status = load_nft_ruleset(ruleset);
    if (status.ok())
        return "loaded a broken ruleset";
    const auto& message = status.error().message();
    if (!contains(message, line))
        return "message does not quote '" + line + "': " + message;
    const auto code = status.error().code();
    if (code != vpnse::ErrorCode::io_error && code != vpnse::ErrorCode::permission_denied)
        return "unexpected code: " + status.error().to_string();
    return "";
}

}  // namespace

TEST_CASE("nft loader: a syntax error names the failing line of the ruleset") {
    const std::string ruleset =
        "add table inet vpnse_broken\n"
        "delete table inet vpnse_broken\n"
        "table inet vpnse_broken {\n"
        "  chain output {\n"
        "    type filter hook output priority filter; policy drop;\n"
        "    oifname \"lo\" acept\n"
        "  }\n"
        "}\n";
    const auto failure = isolated([&] { return rejected_quoting(ruleset, "line 6: oifname \"lo\" acept"); });
    CHECK(failure == "");
}

TEST_CASE("kernel: a ruleset the kernel rejects names its line and leaves nothing behind") {
    if (!platform_test::is_root()) {
        VPNSE_SKIP_OR_FAIL("needs root for network namespaces");
    }
    const auto failure = platform_test::run_in_netns([]() -> std::string {
        // Parses, but the kernel refuses the second chain of the same name.
        const std::string ruleset =
            "table inet vpnse_broken {\n"
            "  chain output {\n"
            "    type filter hook output priority filter; policy drop;\n"
            "  }\n"
            "  chain output {\n"
            "    type filter hook input priority filter;\n"
            "  }\n"
            "}\n";
        if (auto why = rejected_quoting(ruleset, "line 5: chain output {"); !why.empty())
            return why;
        // One transaction: the table of line 1 must not exist either.
        return rejected_quoting("delete table inet vpnse_broken\n", "line 1: delete table inet vpnse_broken");
    });
    CHECK(failure == "");
}
