#include <catch2/catch.hpp>
#include <filesystem>

#include "netns_helper.hpp"
#include "platform/fake/fake_platform.hpp"
#include "platform/linux/network_configurator.hpp"
#include "platform/linux/nft_kill_switch.hpp"
#include "platform/linux/recovery.hpp"
#include "platform/linux/tun_device.hpp"

using namespace vpnse::platform;
using platform_test::contains;
using platform_test::sh;

namespace {

KillSwitchSettings kill_settings() {
    KillSwitchSettings k;
    k.tunnel_id = "office";
    k.ifname = "vpnse0";
    k.server = ServerEndpoint{*IpAddress::parse("203.0.113.5"), 443};
    k.allow = {*Cidr::parse("192.168.1.7/24")};
    return k;
}

bool have_nft() {
    return sh("command -v nft").find("nft") != std::string::npos;
}

}  // namespace

TEST_CASE("kill switch ruleset: replace-safe table, lo, tunnel, server and allow list") {
    auto script = render_kill_switch_ruleset(kill_settings());
    REQUIRE(script.ok());
    CHECK(contains(*script, "add table inet vpnse_office\ndelete table inet vpnse_office\n"));
    CHECK(contains(*script, "policy drop;"));
    CHECK(contains(*script, "oifname \"vpnse0\" accept"));
    CHECK(contains(*script, "ip daddr 203.0.113.5 meta l4proto { tcp, udp } th dport 443 accept"));
    CHECK(contains(*script, "ip saddr 203.0.113.5 meta l4proto { tcp, udp } th sport 443 accept"));
    CHECK(contains(*script, "ip daddr 203.0.113.5 udp dport 40000-44999 accept"));  // UDP acceleration
    CHECK(contains(*script, "ip saddr 203.0.113.5 udp sport 40000-44999 accept"));
    CHECK(contains(*script, "ip daddr 192.168.1.0/24 accept"));
    auto bad = kill_settings();
    bad.ifname = "x\" accept; #";
    CHECK_FALSE(render_kill_switch_ruleset(bad).ok());
    bad = kill_settings();
    bad.tunnel_id = "a b";
    CHECK_FALSE(render_kill_switch_ruleset(bad).ok());
}

TEST_CASE("kernel: kill switch loads into nftables, replaces itself and releases") {
    if (!platform_test::is_root() || !have_nft()) {
        VPNSE_SKIP_OR_FAIL("needs root and the nft CLI (package nftables)");
    }
    const auto failure = platform_test::run_in_netns([]() -> std::string {
        NftKillSwitch kill_switch;
        if (auto st = kill_switch.engage(kill_settings()); !st)
            return st.error().to_string();
        if (auto st = kill_switch.engage(kill_settings()); !st)  // replace in place
            return "re-engage: " + st.error().to_string();
        const auto listed = sh("nft list ruleset");
        if (!contains(listed, "table inet vpnse_office") || !contains(listed, "oifname \"vpnse0\" accept"))
            return "table missing: " + listed;
        if (auto st = kill_switch.release(kill_switch.describe(kill_settings())); !st)
            return st.error().to_string();
        if (contains(sh("nft list ruleset"), "vpnse_office"))
            return "table survived release";
        if (auto st = kill_switch.release(kill_switch.describe(kill_settings())); !st)
            return "second release: " + st.error().to_string();
        return "";
    });
    CHECK(failure == "");
}

TEST_CASE("kernel: recover_stale undoes a crashed tunnel's rules and routes, keeps the kill switch") {
    if (!platform_test::is_root()) {
        VPNSE_SKIP_OR_FAIL("needs root for network namespaces");
    }
    char tmpl[] = "/tmp/vpnse-recovery-XXXXXX";
    const std::filesystem::path dir = ::mkdtemp(tmpl);
    const auto failure = platform_test::run_in_netns([&]() -> std::string {
        sh("ip link set lo up");
        const auto before = sh("ip rule; ip -6 rule; ip route show table all; ip -6 route show table all");
        StateJournal journal(dir);
        {
            LinuxTunDeviceFactory factory;
            auto tun = factory.open(TunOptions{"vpnsecrash0", 1400, false});
            if (!tun)
                return tun.error().to_string();
            TunnelNetworkSettings s;
            s.tunnel_id = "crashed";
            s.ifname = "vpnsecrash0";
            s.mtu = 1400;
            s.addresses = {*Cidr::parse("10.9.0.2/24")};
            s.full_tunnel = true;
            s.server = ServerEndpoint{*IpAddress::parse("203.0.113.9"), 443};
            LinuxNetworkConfigurator net;
            auto plan = net.plan(s);
            if (!plan)
                return plan.error().to_string();
            JournalEntry entry{"crashed", "vpnsecrash0", *plan, std::nullopt, std::nullopt};
            if (have_nft()) {
                NftKillSwitch kill_switch;
                auto ks = kill_settings();
                ks.tunnel_id = "crashed";
                entry.kill_switch = kill_switch.describe(ks);
                if (auto st = kill_switch.engage(ks); !st)
                    return st.error().to_string();
            }
            if (auto st = journal.write(entry); !st)
                return st.error().to_string();
            JournalEntry running{"alive", "vpnse9", NetworkPlan{}, std::nullopt, std::nullopt};
            if (auto st = journal.write(running); !st)
                return st.error().to_string();
            if (auto st = net.apply(*plan); !st)
                return st.error().to_string();
            // "Crash": the TUN fd closes, the rules stay behind.
        }
        if (!contains(sh("ip rule"), "not from all fwmark 0x7673 lookup 30323"))
            return "rules should have survived the crash: " + sh("ip rule");
        const auto report = recover_stale(journal, {"alive"});
        if (!report.errors.empty())
            return "recovery errors: " + report.errors.front();
        const auto after = sh("ip rule; ip -6 rule; ip route show table all; ip -6 route show table all");
        if (after != before)
            return "rules/routes left:\n" + after;
        auto left = journal.load_all();
        if (!left)
            return left.error().to_string();
        if (have_nft()) {
            if (!contains(sh("nft list tables"), "vpnse_crashed"))
                return "kill switch must survive recovery by default";
            if (left->size() != 2)
                return "kill switch entry should be kept";
            RecoveryOptions clear;
            clear.clear_kill_switch = true;
            const auto second = recover_stale(journal, {"alive"}, clear);
            if (!second.errors.empty())
                return "second recovery: " + second.errors.front();
            if (contains(sh("nft list tables"), "vpnse_crashed"))
                return "kill switch not cleared";
            left = journal.load_all();
        }
        if (!left || left->size() != 1 || left->front().tunnel_id != "alive")
            return "journal should only keep the running tunnel";
        return "";
    });
    std::filesystem::remove_all(dir);
    CHECK(failure == "");
}

TEST_CASE("fakes record calls and give a socketpair TUN") {
    FakeTunDeviceFactory tuns;
    auto tun = tuns.open(TunOptions{"", 1400, false});
    REQUIRE(tun.ok());
    CHECK((*tun)->name() == "vpnse0");
    auto* fake = tuns.devices.at("vpnse0");
    const char packet[] = "\x45\x00";
    REQUIRE(::write(fake->peer_fd(), packet, 2) == 2);
    char buf[16];
    CHECK(::read((*tun)->fd(), buf, sizeof buf) == 2);

    FakeNetworkConfigurator net;
    TunnelNetworkSettings s;
    s.tunnel_id = "office";
    s.ifname = "vpnse0";
    s.routes = {*Cidr::parse("10.0.0.0/8")};
    s.server = ServerEndpoint{*IpAddress::parse("10.1.1.1"), 443};
    auto plan = net.plan(s);
    REQUIRE(plan.ok());
    CHECK(plan->routes.size() == 24);  // 10/8 minus one host
    REQUIRE(net.apply(*plan).ok());
    CHECK(net.active.count("office") == 1);
    REQUIRE(net.remove(*plan).ok());
    CHECK(net.calls == std::vector<std::string>{"apply office", "remove office"});

    FakeDnsConfigurator dns;
    DnsSettings d;
    d.ifname = "vpnse0";
    REQUIRE(dns.apply(d).ok());
    CHECK(dns.applied.has_value());
    REQUIRE(dns.revert().ok());
    CHECK_FALSE(dns.applied.has_value());
}
