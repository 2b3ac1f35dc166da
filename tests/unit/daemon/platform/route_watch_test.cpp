#include "platform/linux/route_watch.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "netns_helper.hpp"

using namespace vpnse::platform;
using platform_test::sh;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// Runs `io` until `done` or 3 s passed.
void run_until(asio::io_context& io, const bool& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (!done && std::chrono::steady_clock::now() < deadline) {
        io.restart();
        io.run_for(std::chrono::milliseconds(50));
    }
}

}  // namespace

TEST_CASE("kernel: a new default gateway is an uplink change; a write of the DNS file is reported") {
    if (!platform_test::is_root()) {
        VPNSE_SKIP_OR_FAIL("needs root for network namespaces");
    }
    const auto failure = platform_test::run_in_netns([]() -> std::string {
        sh("ip link add vrw0 type veth peer name vrw1 && ip link set vrw0 up && ip link set vrw1 up && "
           "ip addr add 10.77.0.2/24 dev vrw0 && ip route add default via 10.77.0.1");
        if (!contains(sh("ip route"), "default via 10.77.0.1"))
            return "setup: " + sh("ip route");
        char tmpl[] = "/tmp/vpnse-watch-test-XXXXXX";
        const std::filesystem::path dir = ::mkdtemp(tmpl);
        const auto file = dir / "resolv.conf";
        std::ofstream(file) << "nameserver 10.8.0.1\n";

        asio::io_context io;
        bool uplink = false, removal = false, dns_file = false;
        NetworkWatchCallbacks callbacks;
        callbacks.on_removal = [&] { removal = true; };
        callbacks.on_uplink_change = [&] { uplink = true; };
        callbacks.dns_file = file.string();
        callbacks.on_dns_file_change = [&] { dns_file = true; };
        auto watch = watch_routes(io, 0, std::move(callbacks), {});
        if (!watch)
            return watch.error().to_string();

        sh("ip route replace default via 10.77.0.3");  // a new gateway, nothing removed
        run_until(io, uplink);
        if (!uplink)
            return "the default route change was not reported as an uplink change";
        if (dns_file)
            return "a DNS file change reported without one";

        std::ofstream(dir / "other.conf") << "x\n";  // another file in the directory: not ours
        io.restart();
        io.run_for(std::chrono::milliseconds(400));  // longer than the debounce
        if (dns_file)
            return "another file of the directory reported as the DNS file";
        std::ofstream(dir / "resolv.conf.new") << "nameserver 192.0.2.99\n";
        std::filesystem::rename(dir / "resolv.conf.new", file);  // renamed over it, as DHCP clients do
        run_until(io, dns_file);
        std::filesystem::remove_all(dir);
        if (!dns_file)
            return "the DNS file replaced by rename was not reported";
        (void)removal;
        return "";
    });
    CHECK(failure == "");
}
