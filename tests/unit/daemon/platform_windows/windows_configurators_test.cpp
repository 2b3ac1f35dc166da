// The Windows appliers (windows_network_configurator, windows_dns_configurator) over a fake IP Helper:
// wine implements none of the *Entry2 functions or SetInterfaceDnsSettings, so the order of the calls,
// the uplink lookup, the rollback on error, someone else's route, remove and restore are checked
// against an in-memory routing table instead.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/file.hpp"
#include "platform/windows/uplink_route_record.hpp"
#include "platform/windows/windows_dns_configurator.hpp"
#include "platform/windows/windows_network_configurator.hpp"

using namespace vpnse::platform;
using namespace vpnse::platform::windows;

namespace {

constexpr ULONG64 kUplinkLuid = 5;

std::string prefix_text(const IP_ADDRESS_PREFIX& prefix) {
    return address_of(prefix.Prefix).to_string() + "/" + std::to_string(prefix.PrefixLength);
}

// The host's IP stack as far as the appliers can see it.
struct FakeStack {
    std::vector<std::string> calls;
    std::vector<MIB_UNICASTIPADDRESS_ROW> addresses;
    std::vector<MIB_IPFORWARD_ROW2> routes;
    std::string fail_route;  // CreateIpForwardEntry2 of this prefix fails with fail_code
    DWORD fail_code = ERROR_ACCESS_DENIED;
    std::vector<std::wstring> dns_name_servers;
    std::vector<ULONG64> dns_flags;
    GUID dns_guid{};

    bool has_route(const std::string& prefix, ULONG64 luid) const {
        return std::any_of(routes.begin(), routes.end(), [&](const MIB_IPFORWARD_ROW2& r) {
            return prefix_text(r.DestinationPrefix) == prefix && r.InterfaceLuid.Value == luid;
        });
    }
};
FakeStack* stack = nullptr;

DWORD WINAPI create_address(const MIB_UNICASTIPADDRESS_ROW* row) {
    stack->calls.push_back("address+ " + address_of(row->Address).to_string() + "/" +
                           std::to_string(row->OnLinkPrefixLength));
    stack->addresses.push_back(*row);
    return NO_ERROR;
}
DWORD WINAPI delete_address(const MIB_UNICASTIPADDRESS_ROW* row) {
    stack->calls.push_back("address- " + address_of(row->Address).to_string());
    auto it = std::find_if(stack->addresses.begin(), stack->addresses.end(),
                           [&](const auto& a) { return address_of(a.Address) == address_of(row->Address); });
    if (it == stack->addresses.end())
        return ERROR_NOT_FOUND;
    stack->addresses.erase(it);
    return NO_ERROR;
}
void WINAPI initialize_route(MIB_IPFORWARD_ROW2* row) {
    std::memset(row, 0, sizeof *row);
    row->ValidLifetime = 0xffffffff;
    row->PreferredLifetime = 0xffffffff;
}
DWORD WINAPI create_route(const MIB_IPFORWARD_ROW2* row) {
    const auto prefix = prefix_text(row->DestinationPrefix);
    if (prefix == stack->fail_route)
        return stack->fail_code;
    for (const auto& r : stack->routes)
        if (same_route(r, *row))
            return ERROR_OBJECT_ALREADY_EXISTS;
    stack->calls.push_back("route+ " + prefix + " on " + std::to_string(row->InterfaceLuid.Value) + " via " +
                           address_of(row->NextHop).to_string());
    stack->routes.push_back(*row);
    return NO_ERROR;
}
DWORD WINAPI delete_route(const MIB_IPFORWARD_ROW2* row) {
    stack->calls.push_back("route- " + prefix_text(row->DestinationPrefix));
    auto it = std::find_if(stack->routes.begin(), stack->routes.end(),
                           [&](const auto& r) { return same_route(r, *row); });
    if (it == stack->routes.end())
        return ERROR_NOT_FOUND;
    stack->routes.erase(it);
    return NO_ERROR;
}
DWORD WINAPI get_route(MIB_IPFORWARD_ROW2* row) {
    for (const auto& r : stack->routes)
        if (same_route(r, *row)) {
            *row = r;
            return NO_ERROR;
        }
    return ERROR_NOT_FOUND;
}
DWORD WINAPI best_route(NET_LUID*, NET_IFINDEX, const SOCKADDR_INET*, const SOCKADDR_INET* destination, ULONG,
                        MIB_IPFORWARD_ROW2* best, SOCKADDR_INET* source) {
    stack->calls.push_back("best " + address_of(*destination).to_string());
    initialize_route(best);
    best->InterfaceLuid.Value = kUplinkLuid;
    best->InterfaceIndex = 9;
    best->DestinationPrefix = prefix_of(*Cidr::parse("0.0.0.0/0"));
    best->NextHop = sockaddr_of(*IpAddress::parse("192.168.1.1"));
    *source = sockaddr_of(*IpAddress::parse("192.168.1.50"));
    return NO_ERROR;
}
void WINAPI initialize_interface(MIB_IPINTERFACE_ROW* row) {
    std::memset(row, 0, sizeof *row);
}
DWORD WINAPI get_interface(MIB_IPINTERFACE_ROW* row) {
    return row->InterfaceLuid.Value == 0 ? ERROR_NOT_FOUND : NO_ERROR;
}
DWORD WINAPI set_interface(MIB_IPINTERFACE_ROW* row) {
    stack->calls.push_back(std::string("mtu ") + (row->Family == AF_INET ? "v4 " : "v6 ") +
                           std::to_string(row->NlMtu));
    return NO_ERROR;
}
DWORD WINAPI index_to_luid(NET_IFINDEX index, NET_LUID* luid) {
    if (index == 0)
        return ERROR_FILE_NOT_FOUND;
    luid->Value = index * 1000ull;
    return NO_ERROR;
}
DWORD WINAPI luid_to_guid(const NET_LUID* luid, GUID* guid) {
    std::memset(guid, 0, sizeof *guid);
    guid->Data1 = static_cast<unsigned long>(luid->Value);
    return NO_ERROR;
}
DWORD WINAPI set_dns(GUID guid, const DnsInterfaceSettings* settings) {
    stack->dns_guid = guid;
    stack->dns_name_servers.emplace_back(settings->NameServer);
    stack->dns_flags.push_back(settings->Flags);
    return NO_ERROR;
}

const IpHelperApi fake_api{create_address, delete_address, initialize_route, create_route,
                           delete_route,   get_route,      best_route,       initialize_interface,
                           get_interface,  set_interface,  index_to_luid,    luid_to_guid};
vpnse::Result<const IpHelperApi*> fake_loader() {
    return &fake_api;
}
vpnse::Result<const IpHelperApi*> missing_loader() {
    return vpnse::Error(vpnse::ErrorCode::not_found, "iphlpapi.dll has no CreateIpForwardEntry2");
}
vpnse::Result<DnsSettingsApi> fake_dns_loader() {
    return DnsSettingsApi{set_dns};
}
vpnse::Result<DnsSettingsApi> old_windows_dns_loader() {
    return vpnse::Error(vpnse::ErrorCode::not_supported, "needs Windows 10 version 2004 or later");
}

struct StackScope {
    FakeStack fake;
    StackScope() { stack = &fake; }
    ~StackScope() { stack = nullptr; }
};

TunnelNetworkSettings settings(bool full) {
    TunnelNetworkSettings s;
    s.tunnel_id = "office";
    s.ifname = "vse-office";
    s.ifindex = 17;
    s.mtu = 1400;
    s.addresses = {*Cidr::parse("192.168.30.10/24")};
    s.server = ServerEndpoint{*IpAddress::parse("203.0.113.5"), 443};
    s.full_tunnel = full;
    if (!full)
        s.routes = {*Cidr::parse("10.0.0.0/8")};
    return s;
}

// A fresh directory for uplink route records, removed with the object.
struct RecordDir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("vpnse-uplink-" + std::to_string(std::random_device{}()));
    RecordDir() { std::filesystem::create_directories(path); }
    ~RecordDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::filesystem::path record(const std::string& tunnel) const {
        return path / (tunnel + std::string(kUplinkRecordSuffix));
    }
};

}  // namespace

TEST_CASE("uplink route record: text round trip; a bad line is refused by number and field") {
    const std::vector<UplinkRoute> routes{
        {5, *Cidr::parse("203.0.113.5/32"), *IpAddress::parse("192.168.1.1")},
        {18446744073709551615ull, *Cidr::parse("2001:db8::/32"), *IpAddress::parse("fe80::1")},
    };
    const auto text = uplink_record_text(routes);
    CHECK(text == "5 203.0.113.5/32 192.168.1.1\n18446744073709551615 2001:db8::/32 fe80::1\n");
    auto parsed = parse_uplink_record(text);
    REQUIRE(parsed);
    CHECK(*parsed == routes);
    parsed = parse_uplink_record("\r\n5 203.0.113.5/32 192.168.1.1\r\n");  // edited with Notepad
    REQUIRE(parsed);
    CHECK(parsed->size() == 1);
    CHECK(parse_uplink_record("")->empty());

    const std::vector<std::pair<std::string, std::string>> bad{
        {"five 203.0.113.5/32 192.168.1.1", "line 1: interface LUID 'five'"},
        {"5 203.0.113.5/32 192.168.1.1\n-1 10.0.0.0/8 192.168.1.1", "line 2: interface LUID '-1'"},
        {"5 203.0.113.5/33 192.168.1.1", "destination '203.0.113.5/33'"},
        {"5 203.0.113.5/32 fe80::1", "next hop 'fe80::1'"},
        {"5 203.0.113.5/32", "next hop ''"},
        {"5 203.0.113.5/32 192.168.1.1 extra", "more than three fields"},
    };
    for (const auto& [input, message] : bad) {
        auto refused = parse_uplink_record(input);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code() == vpnse::ErrorCode::invalid_argument);
        CHECK_THAT(refused.error().message(), Catch::Contains(message));
    }
    std::string many;
    for (std::size_t i = 0; i <= kUplinkRecordMaxRoutes; ++i)
        many += "5 10.0.0.0/8 192.168.1.1\n";
    CHECK(parse_uplink_record(many).error().code() == vpnse::ErrorCode::limit_exceeded);
}

TEST_CASE("network: the uplink routes are recorded while up; a crashed process's are removed at start") {
    StackScope scope;
    RecordDir dir;
    auto plan = WindowsNetworkConfigurator({}, fake_loader).plan(settings(true));
    REQUIRE(plan);
    {
        WindowsNetworkConfigurator network({}, fake_loader, dir.path);
        REQUIRE(network.apply(*plan));
        auto record = vpnse::read_small_file(dir.record("office"), 4096);
        REQUIRE(record);
        CHECK(*record == "5 203.0.113.5/32 192.168.1.1\n");  // the uplink's route only, not the halves
        REQUIRE(network.remove(*plan));
        CHECK_FALSE(std::filesystem::exists(dir.record("office")));
    }
    {
        WindowsNetworkConfigurator crashed({}, fake_loader, dir.path);
        REQUIRE(crashed.apply(*plan));
    }  // gone without remove(), as in a crash
    // The adapter went with the process, and its routes with it; the uplink host route stays.
    std::erase_if(scope.fake.routes,
                  [](const MIB_IPFORWARD_ROW2& r) { return r.InterfaceLuid.Value != kUplinkLuid; });
    REQUIRE(scope.fake.has_route("203.0.113.5/32", kUplinkLuid));
    {
        // Someone else's record that cannot be read is reported and left alone.
        std::ofstream(dir.record("garbled")) << "not a route\n";
    }
    WindowsNetworkConfigurator restarted({}, fake_loader, dir.path);
    scope.fake.calls.clear();
    const auto problems = restarted.recover_stale_uplink_routes();
    CHECK(scope.fake.calls == std::vector<std::string>{"route- 203.0.113.5/32"});
    CHECK(scope.fake.routes.empty());
    CHECK_FALSE(std::filesystem::exists(dir.record("office")));
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Catch::Contains("garbled.uplink-routes: uplink route record line 1"));
    CHECK(std::filesystem::exists(dir.record("garbled")));
    CHECK(restarted.recover_stale_uplink_routes().size() == 1);  // nothing new: the office record is gone

    // A route already gone (a reboot, the network changed) still clears its record.
    std::filesystem::remove(dir.record("garbled"));
    {
        WindowsNetworkConfigurator crashed({}, fake_loader, dir.path);
        REQUIRE(crashed.apply(*plan));
    }
    scope.fake.routes.clear();
    CHECK(WindowsNetworkConfigurator({}, fake_loader, dir.path).recover_stale_uplink_routes().empty());
    CHECK_FALSE(std::filesystem::exists(dir.record("office")));
}

TEST_CASE("network: a full tunnel's MTU, address, uplink host route and halves, removed in reverse") {
    StackScope scope;
    WindowsNetworkConfigurator network({}, fake_loader);
    auto plan = network.plan(settings(true));
    REQUIRE(plan);
    REQUIRE(network.apply(*plan));
    const std::vector<std::string> applied{
        "mtu v4 1400",
        "mtu v6 1400",
        "address+ 192.168.30.10/24",
        "best 203.0.113.5",
        "route+ 203.0.113.5/32 on 5 via 192.168.1.1",  // the uplink's interface and gateway
        "route+ 0.0.0.0/1 on 17000 via 0.0.0.0",
        "route+ 128.0.0.0/1 on 17000 via 0.0.0.0",
        "route+ ::/1 on 17000 via ::",
        "route+ 8000::/1 on 17000 via ::",
    };
    CHECK(scope.fake.calls == applied);
    CHECK(network.protect_socket(42));

    scope.fake.calls.clear();
    REQUIRE(network.remove(*plan));
    const std::vector<std::string> removed{
        "route- 8000::/1",  "route- ::/1",           "route- 128.0.0.0/1",
        "route- 0.0.0.0/1", "route- 203.0.113.5/32", "address- 192.168.30.10",
    };
    CHECK(scope.fake.calls == removed);
    CHECK(scope.fake.routes.empty());
    CHECK(scope.fake.addresses.empty());
    CHECK(network.remove(*plan));  // again: nothing of ours left, not an error
}

TEST_CASE("network: a failing route undoes what was added and names the call") {
    StackScope scope;
    scope.fake.fail_route = "8000::/1";
    WindowsNetworkConfigurator network({}, fake_loader);
    auto plan = network.plan(settings(true));
    REQUIRE(plan);
    auto status = network.apply(*plan);
    REQUIRE_FALSE(status);
    CHECK(status.error().code() == vpnse::ErrorCode::permission_denied);
    CHECK_THAT(status.error().message(), Catch::Contains("CreateIpForwardEntry2 8000::/1"));
    CHECK(scope.fake.routes.empty());
    CHECK(scope.fake.addresses.empty());
}

TEST_CASE("network: someone else's identical split route is left to its holder") {
    StackScope scope;
    WindowsNetworkConfigurator network({}, fake_loader);
    auto plan = network.plan(settings(false));
    REQUIRE(plan);
    MIB_IPFORWARD_ROW2 theirs;
    initialize_route(&theirs);
    theirs = tunnel_route_row(theirs, NET_LUID{17000}, plan->routes.front());
    scope.fake.routes.push_back(theirs);
    REQUIRE(network.apply(*plan));
    REQUIRE(network.remove(*plan));
    REQUIRE(scope.fake.routes.size() == 1);  // theirs, still there
    CHECK(prefix_text(scope.fake.routes[0].DestinationPrefix) == "10.0.0.0/8");
}

TEST_CASE("network: restore puts back a route someone removed, and only that") {
    StackScope scope;
    WindowsNetworkConfigurator network({}, fake_loader);
    auto plan = network.plan(settings(true));
    REQUIRE(plan);
    REQUIRE(network.apply(*plan));
    scope.fake.routes.erase(scope.fake.routes.begin());  // the uplink host route went
    auto restored = network.restore(*plan);
    REQUIRE(restored);
    CHECK(*restored == 1);
    CHECK(scope.fake.has_route("203.0.113.5/32", kUplinkLuid));
    CHECK(scope.fake.routes.size() == 5);
    REQUIRE(network.remove(*plan));
}

TEST_CASE("network: a missing adapter or a missing IP Helper function is a clear error") {
    StackScope scope;
    WindowsNetworkConfigurator missing({}, missing_loader);
    auto plan = missing.plan(settings(true));
    REQUIRE(plan);
    auto status = missing.apply(*plan);
    REQUIRE_FALSE(status);
    CHECK_THAT(status.error().message(), Catch::Contains("CreateIpForwardEntry2"));

    WindowsNetworkConfigurator network({}, fake_loader);
    plan->ifindex = 0;  // the adapter went away
    status = network.apply(*plan);
    REQUIRE_FALSE(status);
    CHECK(status.error().code() == vpnse::ErrorCode::not_found);
    CHECK(scope.fake.calls.empty());
}

TEST_CASE("DNS: servers per family on the adapter's GUID, cleared on revert; old Windows is named") {
    StackScope scope;
    WindowsDnsConfigurator dns({}, fake_loader, fake_dns_loader);
    DnsSettings settings;
    settings.ifname = "vse-office";
    settings.ifindex = 17;
    settings.servers = {*IpAddress::parse("192.168.30.1"), *IpAddress::parse("2001:db8::53")};
    settings.search_domains = {"corp.example"};
    CHECK(dns.backend() == "SetInterfaceDnsSettings");
    CHECK(dns.describe(settings).ifindex == 17);
    REQUIRE(dns.apply(settings));
    CHECK(scope.fake.dns_guid.Data1 == 17000);  // index -> LUID -> GUID
    CHECK(scope.fake.dns_name_servers == std::vector<std::wstring>{L"192.168.30.1", L"2001:db8::53"});
    CHECK(scope.fake.dns_flags == std::vector<ULONG64>{kDnsSettingNameServer | kDnsSettingSearchList,
                                                       kDnsSettingNameServer | kDnsSettingIpv6});
    REQUIRE(dns.revert());
    CHECK(scope.fake.dns_name_servers.size() == 4);
    CHECK(scope.fake.dns_name_servers[2].empty());
    CHECK(scope.fake.dns_name_servers[3].empty());
    REQUIRE(dns.revert());  // nothing applied: no call
    CHECK(scope.fake.dns_name_servers.size() == 4);

    WindowsDnsConfigurator old({}, fake_loader, old_windows_dns_loader);
    auto status = old.apply(settings);
    REQUIRE_FALSE(status);
    CHECK(status.error().code() == vpnse::ErrorCode::not_supported);
    CHECK_THAT(status.error().message(), Catch::Contains("2004"));
}
