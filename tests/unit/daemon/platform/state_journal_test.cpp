#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "platform/state_journal.hpp"

using namespace vpnse::platform;
namespace fs = std::filesystem;

namespace {

JournalEntry sample() {
    JournalEntry e;
    e.tunnel_id = "office";
    e.ifname = "vpnse0";
    e.network.tunnel_id = "office";
    e.network.ifname = "vpnse0";
    e.network.ifindex = 12;
    e.network.mtu = 1380;
    e.network.fwmark = 0x7673;
    e.network.addresses = {AddressChange{*Cidr::parse("10.8.0.2/24")},
                           AddressChange{*Cidr::parse("fd00::2/64")}};
    e.network.routes = {RouteChange{*Cidr::parse("0.0.0.0/0"), 0x7673, 0},
                        RouteChange{*Cidr::parse("::/0"), 0x7673, 5}};
    RuleChange suppress;
    suppress.priority = 0x7672;
    suppress.table = 254;
    suppress.suppress_prefixlength = 0;
    RuleChange tunnel;
    tunnel.family = IpFamily::v6;
    tunnel.priority = 0x7673;
    tunnel.table = 0x7673;
    tunnel.fwmark = 0x7673;
    tunnel.invert = true;
    RuleChange exclude;
    exclude.priority = 0x7671;
    exclude.table = 254;
    exclude.has_destination = true;
    exclude.destination = *Cidr::parse("192.168.0.0/16");
    e.network.rules = {exclude, suppress, tunnel};
    DnsRecord dns;
    dns.backend = "resolv.conf";
    dns.ifindex = 12;
    dns.path = "/etc/resolv.conf";
    dns.backup_path = "/run/vpnse/resolv.conf.orig";
    dns.symlink_target = "../run/systemd/resolve/stub-resolv.conf";
    e.dns = dns;
    e.kill_switch = KillSwitchRecord{"inet vpnse_office"};
    return e;
}

}  // namespace

TEST_CASE("journal JSON round trip keeps every field") {
    const auto entry = sample();
    auto back = journal_from_json(journal_to_json(entry));
    REQUIRE(back.ok());
    CHECK(*back == entry);
}

TEST_CASE("journal rejects malformed or foreign JSON") {
    CHECK_FALSE(journal_from_json("{").ok());
    CHECK_FALSE(journal_from_json("{\"version\": 2}").ok());
    auto text = journal_to_json(sample());
    for (auto pos = text.find("\"office\""); pos != std::string::npos; pos = text.find("\"office\""))
        text.replace(pos, 8, "\"../etc\"");
    CHECK_FALSE(journal_from_json(text).ok());
}

TEST_CASE("journal writes atomically, lists and erases entries") {
    char tmpl[] = "/tmp/vpnse-journal-XXXXXX";
    const fs::path dir = fs::path(::mkdtemp(tmpl)) / "state";
    StateJournal journal(dir);
    REQUIRE(journal.write(sample()).ok());
    auto second = sample();
    second.tunnel_id = "lab";
    second.dns.reset();
    second.kill_switch.reset();
    REQUIRE(journal.write(second).ok());
    REQUIRE(journal.write(second).ok());  // overwrite
    for (const auto& item : fs::directory_iterator(dir))
        CHECK(item.path().extension() == ".json");  // no temp files left behind
    CHECK((fs::status(dir).permissions() & fs::perms::all) == fs::perms::owner_all);
    auto all = journal.load_all();
    REQUIRE(all.ok());
    REQUIRE(all->size() == 2);
    REQUIRE(journal.erase("office").ok());
    REQUIRE(journal.erase("office").ok());
    all = journal.load_all();
    REQUIRE(all.ok());
    REQUIRE(all->size() == 1);
    CHECK(all->front() == second);
    CHECK_FALSE(journal.write(JournalEntry{}).ok());
    fs::remove_all(dir.parent_path());
}
