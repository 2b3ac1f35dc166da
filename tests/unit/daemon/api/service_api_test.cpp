// The service API against the fake tunnel factory: the authorization table decides every call, once.
#include "api/service_api.hpp"

#include <unistd.h>

#include <asio/post.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "service/fake_tunnel_factory.hpp"

using namespace vpnsed;
using namespace std::chrono_literals;

namespace {

// A policy that grants one action to one uid, answering later like polkit does.
struct FakeAuthority : api::Authority {
    explicit FakeAuthority(asio::io_context& context) : io(context) {}
    void check(const api::Caller& caller, api::Action action, std::function<void(bool)> done) override {
        asks.push_back(action);
        const bool allowed = caller.uid == granted_uid && action == granted;
        asio::post(io, [done, allowed] { done(allowed); });
    }
    asio::io_context& io;
    std::uint32_t granted_uid = 4242;
    api::Action granted = api::Action::connect;
    std::vector<api::Action> asks;
};

struct Fixture {
    explicit Fixture(bool with_authority = false) : factory(io), authority(io) {
        dir = std::filesystem::temp_directory_path() / ("vpnse-api-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "office.toml")
            << "[server]\nhost = \"vpn.example.com\"\nhub = \"ACME\"\n[auth]\nmethod = \"password\"\n"
               "username = \"bob\"\npassword = \"secret\"\n[tls]\nverify = \"insecure\"\n";
        std::filesystem::permissions(
            dir / "office.toml", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        manager = std::make_unique<service::TunnelManager>(io, factory, dir, vpnse::Logger(), bus);
        (void)manager->reload();
        api = std::make_unique<api::ServiceApi>(api::ServiceContext{
            *manager, bus, nullptr, "vpnse", "1.2.3", {}, with_authority ? &authority : nullptr});
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
                api->reload_profiles(caller, [&](auto result) { note(result); });
                break;
            case api::Call::profiles_import:
                api->import_profile(caller, {"[server]\n", "broken", "toml", false},
                                    [&](auto result) { note(result); });
                break;
            case api::Call::profiles_remove:
                api->remove_profile(caller, "absent", [&](auto result) { note(result); });
                break;
            case api::Call::tunnels_connect:
                api->connect(caller, {"office", false, 1000}, [&](auto result) { note(result); });
                break;
            case api::Call::tunnels_disconnect:
                api->disconnect(caller, {"", true}, [&](auto result) { note(result); });
                break;
            case api::Call::tunnels_status:
                note(api->status(caller, std::nullopt));
                break;
            case api::Call::tunnels_list:
                note(api->list_tunnels(caller));
                break;
            case api::Call::events_subscribe:
                note(api->subscribe(caller, {protocol::Topic::state},
                                    {[](const protocol::StateChange&) {}, {}, {}, {}}));
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
    FakeAuthority authority;
    service::EventBus bus;
    std::filesystem::path dir;
    std::unique_ptr<service::TunnelManager> manager;
    std::unique_ptr<api::ServiceApi> api;
};

}  // namespace

TEST_CASE("api: exactly reload, import, remove, connect and disconnect change state") {
    std::vector<std::string_view> mutating;
    for (const auto& info : api::kCalls)
        if (api::is_mutating(info.call))
            mutating.push_back(info.name);
    CHECK(mutating == std::vector<std::string_view>{"profiles.reload", "profiles.import", "profiles.remove",
                                                    "tunnels.connect", "tunnels.disconnect"});
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
        CHECK(f.denied(info.call, outsider) == api::is_mutating(info.call));
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

TEST_CASE("api: the policy is asked only for callers outside the group, and only for mutating calls") {
    Fixture f(true);
    api::Caller member;
    member.uid = 1000;
    member.privileged = true;
    for (const auto& info : api::kCalls)
        CHECK_FALSE(f.denied(info.call, member));
    CHECK(f.authority.asks.empty());

    api::Caller granted;
    granted.uid = 4242;
    CHECK_FALSE(f.denied(api::Call::tunnels_connect, granted));
    CHECK_FALSE(f.denied(api::Call::tunnels_disconnect, granted));
    CHECK(f.denied(api::Call::profiles_reload, granted));  // manage-profiles was not granted
    CHECK(f.authority.asks ==
          std::vector<api::Action>{api::Action::connect, api::Action::connect, api::Action::manage_profiles});

    api::Caller other;
    other.uid = 4343;
    CHECK(f.denied(api::Call::tunnels_connect, other));
    CHECK_FALSE(f.denied(api::Call::tunnels_status, other));
}

TEST_CASE("api: a refusal names the group and, with a policy, the action") {
    Fixture f(true);
    api::Caller outsider;
    outsider.uid = 65534;
    std::optional<vpnse::Error> refused;
    f.api->connect(outsider, {"office", false, 1000}, [&](auto result) {
        if (!result)
            refused = result.error();
    });
    f.run();
    REQUIRE(refused);
    CHECK(refused->code() == vpnse::ErrorCode::permission_denied);
    CHECK_THAT(refused->message(), Catch::Contains("group vpnse") && Catch::Contains("org.vpnse.connect"));
}

TEST_CASE("api: connect parameters are checked for every front door") {
    Fixture f;
    api::Caller root;
    root.uid = 0;
    root.privileged = true;
    auto outcome = [&](protocol::ConnectParams params) {
        std::optional<vpnse::Error> error;
        f.api->connect(root, params, [&](auto result) {
            if (!result)
                error = result.error();
        });
        f.run();
        return error;
    };
    CHECK(outcome({"", false, 1000})->code() == vpnse::ErrorCode::invalid_argument);
    CHECK(outcome({std::string(300, 'x'), false, 1000})->code() == vpnse::ErrorCode::invalid_argument);
    CHECK(outcome({"office", true, 0})->code() == vpnse::ErrorCode::invalid_argument);
    CHECK(outcome({"nope", false, 1000})->code() == vpnse::ErrorCode::not_found);
    CHECK(f.api->logs(root, 0).error().code() == vpnse::ErrorCode::invalid_argument);
    CHECK(f.api->logs(root, protocol::kMaxLogLines + 1).error().code() == vpnse::ErrorCode::invalid_argument);
}

TEST_CASE("api: import writes a validated profile (0600) and loads it; a .vpn keeps its notes") {
    Fixture f;
    api::Caller root;
    root.uid = 0;
    root.privileged = true;
    auto import = [&](protocol::ImportParams params) {
        std::optional<vpnse::Result<protocol::ImportResult>> out;
        f.api->import_profile(root, params, [&](auto result) { out = result; });
        f.run();
        REQUIRE(out);
        return *out;
    };
    const std::string toml =
        "[server]\nhost = \"vpn.example.com\"\nhub = \"ACME\"\n[auth]\nmethod = \"anonymous\"\n[tls]\nverify "
        "= \"insecure\"\n";
    auto added = import({toml, "work", "", false});
    REQUIRE(added.ok());
    CHECK(added->name == "work");
    CHECK(f.manager->profile("work") != nullptr);
    const auto mode = std::filesystem::status(f.dir / "work.toml").permissions();
    CHECK((mode & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

    CHECK(import({toml, "work", "", false}).error().code() == vpnse::ErrorCode::already_exists);
    CHECK(import({toml, "work", "", true}).ok());
    CHECK(import({toml, "", "", false}).error().code() == vpnse::ErrorCode::invalid_argument);
    CHECK(import({toml, "../etc", "", false}).error().code() == vpnse::ErrorCode::invalid_argument);
    CHECK(import({"[server]\n", "bad", "", false}).error().code() == vpnse::ErrorCode::config_invalid);
    CHECK(import({std::string(300 * 1024, 'x'), "big", "", false}).error().code() ==
          vpnse::ErrorCode::limit_exceeded);
    CHECK(import({toml, "x", "ini", false}).error().code() == vpnse::ErrorCode::invalid_argument);

    std::ifstream account(std::string(VPNSE_TEST_VECTORS) + "/vpn/radius.vpn", std::ios::binary);
    std::stringstream text;
    text << account.rdbuf();
    auto from_vpn = import({text.str(), "", "", false});
    REQUIRE(from_vpn.ok());
    CHECK(from_vpn->name == "radius");
    CHECK_FALSE(from_vpn->notes.empty());
    REQUIRE(f.manager->profile("radius") != nullptr);
    CHECK(f.manager->profile("radius")->password == "pass word");
}

TEST_CASE("api: remove deletes the profile and an import's certificate files, and unloads it") {
    Fixture f;
    api::Caller root;
    root.uid = 0;
    root.privileged = true;
    auto remove = [&](const std::string& name) {
        std::optional<vpnse::Result<protocol::RemoveResult>> out;
        f.api->remove_profile(root, name, [&](auto result) { out = result; });
        f.run();
        REQUIRE(out);
        return *out;
    };
    std::ofstream(f.dir / "office.cert.der") << "cert";
    std::ofstream(f.dir / "office.key.der") << "key";
    std::ofstream(f.dir / "other.cert.der") << "someone else's";
    REQUIRE(f.manager->profile("office") != nullptr);

    auto removed = remove("office");
    REQUIRE(removed.ok());
    CHECK(removed->name == "office");
    CHECK(removed->files == std::vector<std::string>{(f.dir / "office.toml").string(),
                                                     (f.dir / "office.cert.der").string(),
                                                     (f.dir / "office.key.der").string()});
    CHECK(f.manager->profile("office") == nullptr);
    CHECK(std::filesystem::exists(f.dir / "other.cert.der"));

    CHECK(remove("office").error().code() == vpnse::ErrorCode::not_found);
    CHECK(remove("../etc/passwd").error().code() == vpnse::ErrorCode::invalid_argument);
    CHECK(remove("").error().code() == vpnse::ErrorCode::invalid_argument);
}
