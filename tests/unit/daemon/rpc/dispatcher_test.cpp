#include "rpc/dispatcher.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "service/fake_tunnel_factory.hpp"

using namespace vpnsed;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct FakePeer : rpc::Peer {
    rpc::Caller who;
    std::vector<json> notifications;
    service::EventBus::Subscription subscription;
    const rpc::Caller& caller() const override { return who; }
    void notify(const json& n) override { notifications.push_back(n); }
    void keep_subscription(service::EventBus::Subscription s) override { subscription = std::move(s); }
};

struct Fixture {
    Fixture() : factory(io) {
        dir = std::filesystem::temp_directory_path() / ("vpnse-rpc-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "office.toml")
            << "[server]\nhost = \"vpn.example.com\"\nhub = \"ACME\"\n[auth]\nmethod = \"password_hash\"\n"
               "username = \"bob\"\npassword_hash = \"AAECAwQFBgcICQoLDA0ODxAREhM=\"\n[tls]\nverify = "
               "\"insecure\"\n";
        std::ofstream(dir / "bad.toml")
            << "[auth]\nmethod = \"password_hash\"\nusername = \"wrong\"\n"
               "password_hash = \"AAECAwQFBgcICQoLDA0ODxAREhM=\"\n[tls]\nverify = \"insecure\"\n"
               "[server]\nhost = \"h\"\nhub = \"ACME\"\n";
        manager = std::make_unique<service::TunnelManager>(io, factory, dir, vpnse::Logger(), bus);
        (void)manager->reload();
        api =
            std::make_unique<api::ServiceApi>(api::ServiceContext{*manager, bus, nullptr, "vpnse", "0", {}});
        dispatcher = std::make_unique<rpc::Dispatcher>(*api);
        peer.who.privileged = true;
    }
    ~Fixture() {
        dispatcher.reset();
        api.reset();
        manager.reset();
        std::filesystem::remove_all(dir);
    }
    json call(const std::string& line) {
        std::optional<json> response;
        dispatcher->dispatch(line, peer, [&](json r) { response = std::move(r); });
        for (int i = 0; i < 100 && !response; ++i) {
            io.restart();
            io.run_for(10ms);
        }
        REQUIRE(response);
        return *response;
    }

    asio::io_context io;
    service::FakeTunnelFactory factory;
    service::EventBus bus;
    std::filesystem::path dir;
    std::unique_ptr<service::TunnelManager> manager;
    std::unique_ptr<api::ServiceApi> api;
    std::unique_ptr<rpc::Dispatcher> dispatcher;
    FakePeer peer;
};

}  // namespace

TEST_CASE("protocol errors") {
    Fixture f;
    CHECK(f.call("{not json")["error"]["code"] == -32700);
    CHECK(f.call("[]")["error"]["message"] == "invalid request: batch requests are not supported");
    CHECK(f.call(R"({"jsonrpc":"2.0","id":1,"method":"nope"})")["error"]["code"] == -32601);
    auto bad = f.call(R"({"jsonrpc":"2.0","id":2,"method":"tunnels.connect","params":{"name":7}})");
    CHECK(bad["id"] == 2);
    CHECK(bad["error"]["code"] == -32602);
    CHECK(bad["error"]["message"] == "invalid params: name: expected a string, got an integer");
}

TEST_CASE("version and lists") {
    Fixture f;
    auto version = f.call(R"({"jsonrpc":"2.0","id":1,"method":"version"})");
    CHECK(version["result"]["protocol"] == 1);
    auto list = f.call(R"({"jsonrpc":"2.0","id":1,"method":"profiles.list"})");
    CHECK(list["result"]["profiles"].size() == 2);
    auto get = f.call(R"({"jsonrpc":"2.0","id":1,"method":"profiles.get","params":{"name":"office"}})");
    CHECK(get["result"]["profile"]["auth"]["username"] == "bob");
    CHECK(get["result"]["profile"].dump().find("AAECAw") == std::string::npos);
    auto missing = f.call(R"({"jsonrpc":"2.0","id":1,"method":"profiles.get","params":{"name":"x"}})");
    CHECK(missing["error"]["code"] == 1008);
    CHECK(missing["error"]["data"]["name"] == "not_found");
}

TEST_CASE("connect, status, disconnect") {
    Fixture f;
    auto connected = f.call(
        R"({"jsonrpc":"2.0","id":1,"method":"tunnels.connect","params":{"name":"office","wait":true}})");
    REQUIRE(connected.contains("result"));
    CHECK(connected["result"]["tunnel"]["state"] == "established");
    CHECK(connected["result"]["tunnel"]["address"] == "192.168.30.10");
    auto status = f.call(R"({"jsonrpc":"2.0","id":1,"method":"tunnels.status","params":{"name":"office"}})");
    CHECK(status["result"]["tunnels"][0]["prefix_length"] == 24);
    auto list = f.call(R"({"jsonrpc":"2.0","id":1,"method":"tunnels.list"})");
    CHECK(list["result"]["tunnels"].size() == 1);
    auto down = f.call(R"({"jsonrpc":"2.0","id":1,"method":"tunnels.disconnect","params":{"all":true}})");
    CHECK(down["result"]["disconnected"] == json::array({"office"}));
}

TEST_CASE("connect failure carries the server's reason") {
    Fixture f;
    auto failed =
        f.call(R"({"jsonrpc":"2.0","id":1,"method":"tunnels.connect","params":{"name":"bad","wait":true}})");
    CHECK(failed["error"]["code"] == 9);
    CHECK(failed["error"]["message"] == "authentication failed for user wrong on hub ACME");
    CHECK(failed["error"]["data"] == json{{"name", "auth_failed"}, {"code", 9}});
}

TEST_CASE("unprivileged callers may read but not change anything") {
    Fixture f;
    f.peer.who.privileged = false;
    f.peer.who.uid = 65534;
    auto denied = f.call(R"({"jsonrpc":"2.0","id":1,"method":"tunnels.connect","params":{"name":"office"}})");
    CHECK(denied["error"]["code"] == 1010);
    CHECK(denied["error"]["message"] ==
          "permission denied: tunnels.connect requires root or membership in group vpnse");
    CHECK(f.call(R"({"jsonrpc":"2.0","id":1,"method":"profiles.reload"})")["error"]["code"] == 1010);
    CHECK(f.call(R"({"jsonrpc":"2.0","id":1,"method":"tunnels.status"})").contains("result"));
}

TEST_CASE("subscribers get state notifications") {
    Fixture f;
    auto subscribed =
        f.call(R"({"jsonrpc":"2.0","id":1,"method":"events.subscribe","params":{"topics":["state"]}})");
    CHECK(subscribed["result"]["topics"] == json::array({"state"}));
    (void)f.call(
        R"({"jsonrpc":"2.0","id":2,"method":"tunnels.connect","params":{"name":"office","wait":true}})");
    REQUIRE(f.peer.notifications.size() == 4);
    CHECK(f.peer.notifications.back()["method"] == "event.state");
    CHECK(f.peer.notifications.back()["params"]["state"] == "established");
}

TEST_CASE("notifications (no id) get no reply") {
    Fixture f;
    bool replied = false;
    CHECK_FALSE(f.dispatcher->dispatch(R"({"jsonrpc":"2.0","method":"version"})", f.peer,
                                       [&](json) { replied = true; }));
    CHECK_FALSE(replied);
}
