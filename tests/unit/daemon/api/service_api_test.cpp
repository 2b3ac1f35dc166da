// The service API against the fake tunnel factory: the authorization table decides every call, once.
#include "api/service_api.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "service/fake_tunnel_factory.hpp"

using namespace vpnsed;
using namespace std::chrono_literals;

namespace {

struct Fixture {
    Fixture() : factory(io) {
        dir = std::filesystem::temp_directory_path() / ("vpnse-api-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "office.toml")
            << "[server]\nhost = \"vpn.example.com\"\nhub = \"ACME\"\n[auth]\nmethod = \"password\"\n"
               "username = \"bob\"\npassword = \"secret\"\n[tls]\nverify = \"insecure\"\n";
        std::filesystem::permissions(
            dir / "office.toml", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        manager = std::make_unique<service::TunnelManager>(io, factory, dir, vpnse::Logger(), bus);
        (void)manager->reload();
        api = std::make_unique<api::ServiceApi>(
            api::ServiceContext{*manager, bus, nullptr, "vpnse", "1.2.3", {}});
    }
    ~Fixture() {
        api.reset();
        manager.reset();
        std::filesystem::remove_all(dir);
    }
    void run() {
        for (int i = 0; i < 20; ++i) {
            io.restart();
            io.run_for(5ms);
        }
    }
    // Makes `call` as `caller` and says whether it was refused for permission.
    bool denied(api::Call call, const api::Caller& caller) {
        vpnse::Status outcome;
        auto note = [&](const auto& result) {
            if (!result)
                outcome = result.error();
        };
        switch (call) {
            case api::Call::version:
                note(api->version(caller));
                break;
            case api::Call::profiles_list:
                note(api->list_profiles(caller));
                break;
            case api::Call::profiles_get:
                note(api->get_profile(caller, "office"));
                break;
            case api::Call::profiles_reload:
                note(api->reload_profiles(caller));
                break;
            case api::Call::tunnels_connect:
                api->connect(caller, {"office", false, 1000}, [&](auto result) { note(result); });
                break;
            case api::Call::tunnels_disconnect:
                note(api->disconnect(caller, {"", true}));
                break;
            case api::Call::tunnels_status:
                note(api->status(caller, std::nullopt));
                break;
            case api::Call::tunnels_list:
                note(api->list_tunnels(caller));
                break;
            case api::Call::events_subscribe:
                note(api->subscribe(caller, {protocol::Topic::state},
                                    {[](const protocol::StateChange&) {}, {}, {}}));
                break;
            case api::Call::daemon_logs:
                note(api->logs(caller, 10));
                break;
        }
        run();
        return !outcome && outcome.error().code() == vpnse::ErrorCode::permission_denied;
    }

    asio::io_context io;
    service::FakeTunnelFactory factory;
    service::EventBus bus;
    std::filesystem::path dir;
    std::unique_ptr<service::TunnelManager> manager;
    std::unique_ptr<api::ServiceApi> api;
};

}  // namespace

TEST_CASE("api: exactly reload, connect and disconnect change state") {
    std::vector<std::string_view> mutating;
    for (const auto& info : api::kCalls)
        if (info.mutating)
            mutating.push_back(info.name);
    CHECK(mutating ==
          std::vector<std::string_view>{"profiles.reload", "tunnels.connect", "tunnels.disconnect"});
}

TEST_CASE("api: every call is authorized from the table, for every caller") {
    Fixture f;
    api::Caller outsider;
    outsider.uid = 65534;
    api::Caller member;
    member.uid = 1000;
    member.privileged = true;
    for (const auto& info : api::kCalls) {
        INFO(info.name);
        CHECK(f.denied(info.call, outsider) == info.mutating);
        CHECK_FALSE(f.denied(info.call, member));
    }
}

TEST_CASE("api: a profile leaves the daemon without its secrets") {
    Fixture f;
    api::Caller anyone;
    auto view = f.api->get_profile(anyone, "office");
    REQUIRE(view.ok());
    CHECK(view->has_password);
    CHECK(view->settings.password.empty());
    CHECK_FALSE(view->settings.password_hash.has_value());
    CHECK(f.api->get_profile(anyone, "nope").error().code() == vpnse::ErrorCode::not_found);
}

TEST_CASE("api: version names the daemon and the protocol") {
    Fixture f;
    auto version = f.api->version(api::Caller{});
    REQUIRE(version.ok());
    CHECK(version->name == "vpnsed");
    CHECK(version->version == "1.2.3");
    CHECK(version->protocol == protocol::kProtocolVersion);
}
