#include "service/tunnel_manager.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "service/fake_tunnel_factory.hpp"

using namespace vpnsed::service;
using vpnse::ErrorCode;
using vpnse::TunnelState;
using namespace std::chrono_literals;

namespace {

std::string profile_text(const std::string& user = "bob", const std::string& hub = "ACME",
                         bool autoconnect = false) {
    return std::string("autoconnect = ") + (autoconnect ? "true" : "false") +
           "\n[server]\nhost = \"vpn.example.com\"\nhub = \"" + hub +
           "\"\n[auth]\nmethod = \"password_hash\"\n" + "username = \"" + user +
           "\"\npassword_hash = \"AAECAwQFBgcICQoLDA0ODxAREhM=\"\n[tls]\nverify = \"insecure\"\n";
}

struct Fixture {
    Fixture(bool manual = false) : factory(io, manual) {
        static int counter = 0;
        dir = std::filesystem::temp_directory_path() /
              ("vpnse-manager-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(dir);
        manager = std::make_unique<TunnelManager>(io, factory, dir, vpnse::Logger(), bus);
        subscription =
            bus.subscribe({.on_state = [this](const StateEvent& e) { events.push_back(e); },
                           .on_profiles = [this](const ProfilesEvent& e) { profile_events.push_back(e); }});
    }
    ~Fixture() {
        manager.reset();
        std::filesystem::remove_all(dir);
    }
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir / (name + ".toml")) << text;
    }
    void run() {
        io.restart();
        io.run_for(200ms);
    }

    asio::io_context io;
    FakeTunnelFactory factory;
    EventBus bus;
    std::filesystem::path dir;
    std::unique_ptr<TunnelManager> manager;
    EventBus::Subscription subscription;
    std::vector<StateEvent> events;
    std::vector<ProfilesEvent> profile_events;
};

}  // namespace

TEST_CASE("connect with wait answers when established") {
    Fixture f;
    f.write("office", profile_text());
    auto report = f.manager->reload();
    CHECK(report.added == std::vector<std::string>{"office"});
    std::optional<vpnse::Status> result;
    f.manager->connect("office", true, 5s, [&](const vpnse::Status& s) { result = s; });
    CHECK_FALSE(result);
    f.run();
    REQUIRE(result);
    CHECK(result->ok());
    auto status = f.manager->report("office");
    REQUIRE(status.ok());
    CHECK(status->state == TunnelState::established);
    REQUIRE(status->snapshot);
    CHECK(status->snapshot->network->address.address.to_string() == "192.168.30.10");
    REQUIRE(f.events.size() == 4);
    CHECK(f.events.back().state == TunnelState::established);
    CHECK(f.events.back().name == "office");
}

TEST_CASE("connect with wait reports the failure") {
    Fixture f;
    f.write("office", profile_text("wrong"));
    (void)f.manager->reload();
    std::optional<vpnse::Status> result;
    f.manager->connect("office", true, 5s, [&](const vpnse::Status& s) { result = s; });
    f.run();
    REQUIRE(result);
    CHECK(result->error().code() == ErrorCode::auth_failed);
    CHECK(result->error().message() == "authentication failed for user wrong on hub ACME");
    auto status = f.manager->report("office");
    CHECK(status->state == TunnelState::disconnected);
    CHECK(status->last_error.code() == ErrorCode::auth_failed);
    CHECK(f.factory.live() == 0);  // handle dropped after the failure
}

TEST_CASE("connect with wait times out and the tunnel keeps trying") {
    Fixture f;
    f.write("slow", profile_text("bob", "SLOW"));
    (void)f.manager->reload();
    std::optional<vpnse::Status> result;
    f.manager->connect("slow", true, 50ms, [&](const vpnse::Status& s) { result = s; });
    f.run();
    REQUIRE(result);
    CHECK(result->error().code() == ErrorCode::timeout);
    CHECK_THAT(result->error().message(), Catch::Matchers::Contains("waiting for slow (state connecting"));
    CHECK(f.factory.live() == 1);
}

TEST_CASE("unknown profiles and disconnect errors") {
    Fixture f;
    (void)f.manager->reload();
    std::optional<vpnse::Status> result;
    f.manager->connect("nope", false, 1s, [&](const vpnse::Status& s) { result = s; });
    REQUIRE(result);
    CHECK(result->error().code() == ErrorCode::not_found);
    CHECK(f.manager->disconnect("nope").error().code() == ErrorCode::not_found);
    f.write("office", profile_text());
    (void)f.manager->reload();
    CHECK(f.manager->disconnect("office").error().code() == ErrorCode::not_connected);
}

TEST_CASE("disconnect of a tunnel that is not running lifts a kill switch kept from before a restart") {
    Fixture f;
    f.write("office", profile_text());
    (void)f.manager->reload();
    f.factory.kept_kill_switches.insert("office");
    REQUIRE(f.manager->disconnect("office").ok());
    REQUIRE(f.factory.created() == 1);  // a handle, only to tear down
    CHECK(f.factory.last("office")->disconnect_calls == 1);
    f.run();
    CHECK(f.factory.live() == 0);  // dropped again once disconnected
}

TEST_CASE("disconnect ends waiting connects and drops the handle") {
    Fixture f(true);
    f.write("office", profile_text());
    (void)f.manager->reload();
    std::optional<vpnse::Status> result;
    f.manager->connect("office", true, 5s, [&](const vpnse::Status& s) { result = s; });
    auto* tunnel = f.factory.last("office");
    REQUIRE(tunnel);
    tunnel->report(TunnelState::connecting);
    CHECK(f.manager->disconnect("office").ok());
    CHECK(tunnel->disconnect_calls == 1);
    tunnel->report(TunnelState::disconnected);
    REQUIRE(result);
    CHECK(result->error().code() == ErrorCode::cancelled);
    f.run();
    CHECK(f.factory.live() == 0);
}

TEST_CASE("reload keeps unchanged tunnels, reconnects changed ones and drops removed ones") {
    Fixture f;
    f.write("a", profile_text());
    f.write("b", profile_text());
    f.write("c", profile_text());
    (void)f.manager->reload();
    for (auto name : {"a", "b", "c"})
        f.manager->connect(name, false, 1s, [](const vpnse::Status&) {});
    f.run();
    auto* a_before = f.factory.last("a");
    CHECK(f.factory.created() == 3);

    f.write("b", profile_text("alice"));
    std::filesystem::remove(f.dir / "c.toml");
    f.write("d", profile_text());
    auto report = f.manager->reload();
    CHECK(report.unchanged == std::vector<std::string>{"a"});
    CHECK(report.changed == std::vector<std::string>{"b"});
    CHECK(report.removed == std::vector<std::string>{"c"});
    CHECK(report.added == std::vector<std::string>{"d"});
    f.run();
    CHECK(f.factory.last("a") == a_before);
    CHECK(f.factory.created() == 4);  // b recreated
    CHECK(f.factory.last("b")->profile().username == "alice");
    CHECK(f.manager->report("b")->state == TunnelState::established);
    CHECK(f.factory.live() == 2);
    CHECK_FALSE(f.manager->profile("c"));

    // Subscribers (the D-Bus objects, event.profiles) hear of each reload that changed the set, once.
    REQUIRE(f.profile_events.size() == 2);
    CHECK(f.profile_events[0].added == std::vector<std::string>{"a", "b", "c"});
    CHECK(f.profile_events[1].added == report.added);
    CHECK(f.profile_events[1].removed == report.removed);
    CHECK(f.profile_events[1].changed == report.changed);
    (void)f.manager->reload();
    CHECK(f.profile_events.size() == 2);
}

TEST_CASE("a profile that becomes invalid keeps its previous version") {
    Fixture f;
    f.write("a", profile_text());
    (void)f.manager->reload();
    f.manager->connect("a", false, 1s, [](const vpnse::Status&) {});
    f.run();
    f.write("a", "[server]\nhost = 5\n");
    auto report = f.manager->reload();
    REQUIRE(report.errors.size() == 1);
    CHECK_THAT(report.errors[0].message, Catch::Matchers::Contains("server.host: expected a string"));
    CHECK(report.removed.empty());
    CHECK(f.manager->report("a")->state == TunnelState::established);
}

TEST_CASE("autoconnect starts flagged profiles") {
    Fixture f;
    f.write("auto", profile_text("bob", "ACME", true));
    f.write("manual", profile_text());
    (void)f.manager->reload();
    f.manager->autoconnect();
    f.run();
    CHECK(f.manager->report("auto")->state == TunnelState::established);
    CHECK(f.manager->report("manual")->state == TunnelState::disconnected);
}

TEST_CASE("shutdown disconnects everything and then reports done") {
    Fixture f;
    f.write("a", profile_text());
    f.write("b", profile_text());
    (void)f.manager->reload();
    f.manager->connect("a", false, 1s, [](const vpnse::Status&) {});
    f.manager->connect("b", false, 1s, [](const vpnse::Status&) {});
    f.run();
    bool done = false;
    f.manager->shutdown(1s, [&] { done = true; });
    f.run();
    CHECK(done);
    CHECK(f.factory.live() == 0);
}

TEST_CASE("shutdown tears down tunnels that do not close in time") {
    Fixture f(true);
    f.write("a", profile_text());
    (void)f.manager->reload();
    f.manager->connect("a", false, 1s, [](const vpnse::Status&) {});
    f.factory.last("a")->report(TunnelState::established);
    bool done = false;
    f.manager->shutdown(20ms, [&] { done = true; });
    f.run();
    CHECK(done);
    CHECK(f.factory.live() == 0);
}
