#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "netns_helper.hpp"
#include "platform/linux/resolv_conf_dns.hpp"

using namespace vpnse::platform;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    TempDir() {
        char tmpl[] = "/tmp/vpnse-dns-test-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
    fs::path path;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

DnsSettings settings() {
    DnsSettings s;
    s.ifname = "vpnse0";
    s.ifindex = 7;
    s.servers = {*IpAddress::parse("10.8.0.1"), *IpAddress::parse("fd00:8::1"), *IpAddress::parse("10.8.0.2"),
                 *IpAddress::parse("10.8.0.3")};
    s.search_domains = {"corp.example", "lab.example"};
    s.routing_domains = {"~internal.example"};
    return s;
}

const std::string kOriginal =
    "# host file\nnameserver 192.0.2.53\nsearch home.example\noptions edns0 timeout:2\n";

}  // namespace

TEST_CASE("resolv.conf rendering: 3 servers, search line, host options kept") {
    const auto text = render_resolv_conf(settings(), kOriginal);
    CHECK(text.find("nameserver 10.8.0.1\nnameserver fd00:8::1\nnameserver 10.8.0.2\n") != std::string::npos);
    CHECK(text.find("10.8.0.3") == std::string::npos);
    CHECK(text.find("search corp.example lab.example\n") != std::string::npos);
    CHECK(text.find("options edns0 timeout:2\n") != std::string::npos);
    CHECK(text.find("192.0.2.53") == std::string::npos);
    CHECK(text.find("internal.example") == std::string::npos);
}

TEST_CASE("resolv.conf backend restores the exact original bytes and mode") {
    TempDir dir;
    const auto path = dir.path / "resolv.conf";
    const std::string original = kOriginal + "\r\n  # odd trailing bytes without newline";
    spit(path, original);
    ::chmod(path.c_str(), 0640);
    ResolvConfDnsConfigurator dns(path.string(), (dir.path / "backup").string());
    const auto record = dns.describe(settings());
    CHECK_FALSE(record.original_missing);
    CHECK_FALSE(record.symlink_target);
    REQUIRE(dns.apply(settings()).ok());
    CHECK(slurp(path).find("nameserver 10.8.0.1") != std::string::npos);
    CHECK(slurp(dir.path / "backup") == original);
    // Re-apply must not back up our own file.
    REQUIRE(dns.apply(settings()).ok());
    CHECK(slurp(dir.path / "backup") == original);
    REQUIRE(dns.revert().ok());
    CHECK(slurp(path) == original);
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    CHECK_FALSE(fs::exists(dir.path / "backup"));
    CHECK(dns.revert().ok());  // idempotent
}

TEST_CASE("resolv.conf backend: a symlink is replaced, then restored as the same symlink") {
    TempDir dir;
    const auto path = dir.path / "resolv.conf";
    spit(dir.path / "stub-resolv.conf", "nameserver 127.0.0.53\n");
    fs::create_symlink("stub-resolv.conf", path);
    ResolvConfDnsConfigurator dns(path.string(), (dir.path / "backup").string());
    REQUIRE(dns.apply(settings()).ok());
    CHECK_FALSE(fs::is_symlink(path));
    CHECK(slurp(dir.path / "stub-resolv.conf") == "nameserver 127.0.0.53\n");  // target untouched
    REQUIRE(dns.revert().ok());
    REQUIRE(fs::is_symlink(path));
    CHECK(fs::read_symlink(path) == "stub-resolv.conf");
}

TEST_CASE("resolv.conf backend: a missing original is deleted again") {
    TempDir dir;
    const auto path = dir.path / "resolv.conf";
    ResolvConfDnsConfigurator dns(path.string(), (dir.path / "backup").string());
    REQUIRE(dns.apply(settings()).ok());
    CHECK(fs::exists(path));
    REQUIRE(dns.revert().ok());
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("kernel: bind-mounted resolv.conf (rename gives EBUSY) is written in place and restored") {
    if (!platform_test::is_root()) {
        VPNSE_SKIP_OR_FAIL("needs root for mount namespaces");
    }
    TempDir dir;
    const auto target = dir.path / "etc-resolv.conf";
    const auto source = dir.path / "mounted.conf";
    spit(target, "placeholder\n");
    spit(source, kOriginal);
    const auto failure = platform_test::run_in_netns([&]() -> std::string {
        if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
            return "bind mount failed";
        ResolvConfDnsConfigurator dns(target.string(), (dir.path / "backup").string());
        if (auto st = dns.apply(settings()); !st)
            return "apply: " + st.error().to_string();
        if (slurp(target).find("nameserver 10.8.0.1") == std::string::npos)
            return "not written";
        if (auto st = dns.revert(); !st)
            return "revert: " + st.error().to_string();
        if (slurp(target) != kOriginal)
            return "not restored exactly";
        ::umount(target.c_str());
        return "";
    });
    CHECK(failure == "");
    // The bind mount wrote through to the source file; the placeholder underneath is untouched.
    CHECK(slurp(source) == kOriginal);
    CHECK(slurp(target) == "placeholder\n");
}

TEST_CASE("resolv.conf backend: a file rewritten by another program is put back, the original kept") {
    TempDir dir;
    const auto path = dir.path / "resolv.conf";
    spit(path, kOriginal);
    ResolvConfDnsConfigurator dns(path.string(), (dir.path / "backup").string());
    CHECK(dns.watched_file().empty());  // nothing applied, nothing to watch
    CHECK(dns.reassert().value() == false);
    REQUIRE(dns.apply(settings()).ok());
    CHECK(dns.watched_file() == path.string());
    const auto ours = slurp(path);
    CHECK(dns.reassert().value() == false);  // unchanged: not written again

    spit(path, "nameserver 192.0.2.99\n");  // a DHCP client's version
    CHECK(dns.reassert().value() == true);
    CHECK(slurp(path) == ours);

    fs::remove(path);  // deleted counts as changed too
    CHECK(dns.reassert().value() == true);
    CHECK(slurp(path) == ours);

    REQUIRE(dns.revert().ok());
    CHECK(slurp(path) == kOriginal);  // the host's original, not the interim file
    CHECK(dns.watched_file().empty());
    CHECK(dns.reassert().value() == false);
}
