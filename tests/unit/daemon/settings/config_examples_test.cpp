// The example files in config/ are shipped and quoted in the docs: they must stay valid.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "profile/profile_parser.hpp"
#include "settings/daemon_settings.hpp"

namespace {
std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}
}  // namespace

TEST_CASE("config/vpnsed.toml is valid and matches the defaults") {
    const auto path = std::filesystem::path(VPNSE_SOURCE_DIR) / "config" / "vpnsed.toml";
    auto settings = vpnsed::settings::parse_settings(read_file(path), path.string());
    INFO((settings.ok() ? "" : settings.error().message()));
    REQUIRE(settings.ok());
    const vpnsed::settings::DaemonSettings defaults;
    CHECK(settings->socket_path == defaults.socket_path);
    CHECK(settings->profile_dir == defaults.profile_dir);
    CHECK(settings->max_clients == defaults.max_clients);
}

TEST_CASE("every example profile in config/profiles is valid") {
    const auto dir = std::filesystem::path(VPNSE_SOURCE_DIR) / "config" / "profiles";
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".toml")
            continue;
        auto profile = vpnse::parse_profile(read_file(entry.path()), entry.path().string(),
                                            entry.path().stem().string());
        INFO((profile.ok() ? entry.path().string() : profile.error().message()));
        CHECK(profile.ok());
        ++count;
    }
    CHECK(count >= 1);
}
