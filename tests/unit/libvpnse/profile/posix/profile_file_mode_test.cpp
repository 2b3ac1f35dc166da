// load_profile_file against a real file's mode and owner (POSIX; on Windows the profile directory's ACL
// protects a clear password, see platform/windows/profile_file_access.cpp).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "profile/profile_parser.hpp"

using vpnse::ErrorCode;

namespace {

const std::string kMinimal = R"(
[server]
host = "vpn.example.com"
hub = "ACME"
[auth]
username = "bob"
password = "secret"
[tls]
fingerprint = "AB:CD:EF:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89"
)";

}  // namespace

TEST_CASE("load_profile_file names the profile after the file stem and checks its mode") {
    const auto dir =
        std::filesystem::temp_directory_path() / ("vpnse-profile-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / "home-lab.toml";
    { std::ofstream(path) << kMinimal; }
    std::filesystem::permissions(path,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    if (::geteuid() == 0) {
        auto loaded = vpnse::load_profile_file(path);
        REQUIRE(loaded.ok());
        CHECK(loaded->name == "home-lab");
    }
    std::filesystem::permissions(path, std::filesystem::perms::group_read,
                                 std::filesystem::perm_options::add);
    auto refused = vpnse::load_profile_file(path);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message(), Catch::Matchers::Contains("holds a clear password"));

    CHECK(vpnse::load_profile_file(dir / "missing.toml").error().code() == ErrorCode::not_found);
    std::filesystem::remove_all(dir);
}
