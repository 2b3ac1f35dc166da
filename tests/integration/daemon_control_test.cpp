// Starts vpnsed_test on a private socket and profile directory and drives it like a user would:
// vpnsectl --json for the documented commands, raw socket writes for protocol abuse. The daemon must
// answer every bad input with a JSON-RPC error and keep serving.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "support/skip.hpp"

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* const kHash = "AAECAwQFBgcICQoLDA0ODxAREhM=";

std::string profile(const std::string& user, const std::string& hub) {
    return "[server]\nhost = \"vpn.example.com\"\nhub = \"" + hub +
           "\"\n[auth]\nmethod = \"password_hash\"\n" + "username = \"" + user + "\"\npassword_hash = \"" +
           kHash + "\"\n[tls]\nverify = \"insecure\"\n";
}

struct CommandResult {
    int exit_code = -1;
    std::string out;
};

CommandResult run(const std::string& command) {
    CommandResult result;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe);
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        result.out.append(buffer, n);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

// A file descriptor that closes itself.
class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

class RawClient {
  public:
    explicit RawClient(const std::string& path) : fd_(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
        REQUIRE(::connect(fd_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        timeval timeout{10, 0};
        ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    void send(const std::string& bytes) {
        size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(fd_.get(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return;  // the daemon may close on us (oversized line)
            sent += static_cast<size_t>(n);
        }
    }
    // Next line, or "" on EOF/timeout.
    std::string line() {
        while (true) {
            if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
                auto out = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return out;
            }
            char chunk[4096];
            const ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
            if (n <= 0)
                return "";
            buffer_.append(chunk, static_cast<size_t>(n));
        }
    }
    json call(const std::string& request) {
        send(request + "\n");
        auto text = line();
        INFO(request);
        REQUIRE_FALSE(text.empty());
        return json::parse(text);
    }
    bool closed_by_peer() {
        char c;
        return ::recv(fd_.get(), &c, 1, 0) == 0;
    }

  private:
    Fd fd_;
    std::string buffer_;
};

struct Daemon {
    Daemon() {
        dir = fs::temp_directory_path() / ("vpnse-it-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir / "profiles");
        // World-traversable so `nobody` can reach the socket.
        fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                 fs::perms::others_read | fs::perms::others_exec);
        socket = (dir / "vpnsed.sock").string();
        std::ofstream(dir / "profiles" / "office.toml") << profile("bob", "ACME");
        std::ofstream(dir / "profiles" / "badauth.toml") << profile("wrong", "ACME");
        std::ofstream(dir / "profiles" / "slow.toml") << profile("bob", "SLOW");
        std::ofstream(dir / "vpnsed.toml")
            << "group = \"vpnse-it-no-such-group\"\nclient_idle_timeout_s = 2\n";
        pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            const std::string log = (dir / "vpnsed.log").string();
            std::freopen(log.c_str(), "w", stderr);
            ::execl(VPNSED_TEST_BINARY, VPNSED_TEST_BINARY, "--config", (dir / "vpnsed.toml").c_str(),
                    "--socket", socket.c_str(), "--profile-dir", (dir / "profiles").c_str(), "--state-dir",
                    (dir / "state").c_str(), "--log-level", "debug", "--foreground",
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        for (int i = 0; i < 200 && !fs::exists(socket); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        REQUIRE(fs::exists(socket));
    }
    ~Daemon() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        fs::remove_all(dir);
    }
    // Stops with SIGTERM and returns the exit status.
    int stop() {
        ::kill(pid, SIGTERM);
        int status = 0;
        ::waitpid(pid, &status, 0);
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::string ctl(const std::string& args) const {
        return std::string(VPNSECTL_BINARY) + " --socket " + socket + " " + args;
    }
    bool alive() {
        return RawClient(socket).call(R"({"jsonrpc":"2.0","id":99,"method":"version"})").contains("result");
    }

    fs::path dir;
    std::string socket;
    pid_t pid = -1;
};

}  // namespace

TEST_CASE("vpnsectl drives the daemon: version, list, connect, status, disconnect") {
    Daemon daemon;
    auto version = run(daemon.ctl("--json version"));
    CHECK(version.exit_code == 0);
    CHECK(json::parse(version.out)["daemon"]["protocol"] == 1);

    auto list = run(daemon.ctl("--json list"));
    REQUIRE(list.exit_code == 0);
    CHECK(json::parse(list.out)["profiles"].size() == 3);

    auto connect = run(daemon.ctl("--json connect office"));
    INFO(connect.out);
    REQUIRE(connect.exit_code == 0);
    auto tunnel = json::parse(connect.out)["tunnel"];
    CHECK(tunnel["state"] == "established");
    CHECK(tunnel["address"] == "192.168.30.10");
    CHECK(tunnel["prefix_length"] == 24);

    auto status = run(daemon.ctl("--json status office"));
    CHECK(status.exit_code == 0);
    CHECK(json::parse(status.out)["tunnels"][0]["hub"] == "ACME");
    auto human = run(daemon.ctl("status"));
    CHECK_THAT(human.out, Catch::Matchers::StartsWith("office  established  192.168.30.10/24  up "));

    auto failed = run(daemon.ctl("connect badauth"));
    CHECK(failed.exit_code == 1);
    CHECK(failed.out == "vpnsectl: connect badauth: authentication failed for user wrong on hub ACME\n");
    auto failed_json = run(daemon.ctl("--json connect badauth"));
    CHECK(json::parse(failed_json.out)["error"]["name"] == "auth_failed");

    auto timeout = run(daemon.ctl("connect slow --timeout 1"));
    CHECK(timeout.exit_code == 1);
    CHECK_THAT(timeout.out, Catch::Matchers::Contains("timed out"));

    CHECK(run(daemon.ctl("connect nosuch")).exit_code == 1);
    auto down = run(daemon.ctl("--json disconnect office"));
    CHECK(down.exit_code == 0);
    CHECK(json::parse(down.out)["disconnected"] == json::array({"office"}));
    CHECK(run(daemon.ctl("disconnect --all")).exit_code == 0);
    CHECK(run(daemon.ctl("connect")).exit_code == 2);
    CHECK(run(daemon.ctl("frobnicate")).exit_code == 2);

    auto logs = run(daemon.ctl("--json logs -n 5"));
    CHECK(logs.exit_code == 0);
    CHECK(json::parse(logs.out)["lines"].size() == 5);

    CHECK(daemon.stop() == 0);
    CHECK_FALSE(fs::exists(daemon.socket));
    CHECK(run(daemon.ctl("status")).exit_code == 3);
}

TEST_CASE("vpnsectl profiles show and reload") {
    Daemon daemon;
    auto shown = run(daemon.ctl("--json profiles show office"));
    INFO(shown.out);
    REQUIRE(shown.exit_code == 0);
    auto office = json::parse(shown.out)["profile"];
    CHECK(office["server"]["hub"] == "ACME");
    CHECK(office["auth"]["username"] == "bob");
    CHECK(office["auth"]["has_password_hash"] == true);
    // The hash is a credential for the hub: it never leaves the daemon, in either output form.
    CHECK_FALSE(office["auth"].contains("password_hash"));
    CHECK(shown.out.find(kHash) == std::string::npos);
    auto human = run(daemon.ctl("profiles show office"));
    CHECK(human.exit_code == 0);
    CHECK_THAT(human.out, Catch::Matchers::StartsWith("# profile office\nautoconnect = false\n"));
    CHECK_THAT(human.out, Catch::Matchers::Contains("\n[server]\nhost = \"vpn.example.com\"\n"));
    CHECK_THAT(human.out, Catch::Matchers::Contains("has_password_hash = true\n"));
    CHECK(human.out.find(kHash) == std::string::npos);
    CHECK(run(daemon.ctl("profiles show nosuch")).exit_code == 1);
    CHECK(run(daemon.ctl("profiles show")).exit_code == 2);
    CHECK(run(daemon.ctl("profiles frob office")).exit_code == 2);

    // One profile added, one changed, one removed, one broken.
    std::ofstream(daemon.dir / "profiles" / "home.toml") << profile("alice", "HOME");
    std::ofstream(daemon.dir / "profiles" / "office.toml") << profile("bob", "ACME2");
    fs::remove(daemon.dir / "profiles" / "slow.toml");
    std::ofstream(daemon.dir / "profiles" / "broken.toml") << "[server\n";
    auto reloaded = run(daemon.ctl("--json reload"));
    INFO(reloaded.out);
    REQUIRE(reloaded.exit_code == 0);
    auto report = json::parse(reloaded.out);
    CHECK(report["added"] == json::array({"home"}));
    CHECK(report["changed"] == json::array({"office"}));
    CHECK(report["removed"] == json::array({"slow"}));
    CHECK(report["unchanged"] == json::array({"badauth"}));
    CHECK(report["errors"].size() == 1);
    CHECK(json::parse(run(daemon.ctl("--json profiles show office")).out)["profile"]["server"]["hub"] ==
          "ACME2");
    auto again = run(daemon.ctl("reload"));
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::Matchers::StartsWith("unchanged  3 profiles\nnot loaded: "));
    CHECK(run(daemon.ctl("reload now")).exit_code == 2);
}

TEST_CASE("protocol abuse gets JSON-RPC errors and the daemon keeps serving") {
    Daemon daemon;
    RawClient client(daemon.socket);
    CHECK(client.call("{this is not json")["error"]["code"] == -32700);
    // The connection stays usable after a parse error.
    CHECK(client.call(R"({"jsonrpc":"2.0","id":1,"method":"version"})").contains("result"));
    CHECK(client.call(R"({"jsonrpc":"2.0","id":2,"method":"no.such"})")["error"]["code"] == -32601);
    auto wrong_type =
        client.call(R"({"jsonrpc":"2.0","id":3,"method":"tunnels.connect","params":{"name":42}})");
    CHECK(wrong_type["error"]["code"] == -32602);
    CHECK(wrong_type["error"]["message"] == "invalid params: name: expected a string, got an integer");
    CHECK(client.call(R"({"id":4,"method":"version"})")["error"]["code"] == -32600);
    CHECK(client.call(R"([{"jsonrpc":"2.0","id":5,"method":"version"}])")["error"]["code"] == -32600);

    RawClient huge(daemon.socket);
    huge.send(std::string(1024 * 1024 + 10, 'x'));
    auto error = json::parse(huge.line());
    CHECK(error["error"]["code"] == -32600);
    CHECK(error["error"]["data"]["name"] == "limit_exceeded");
    CHECK(huge.closed_by_peer());

    CHECK(daemon.alive());
}

TEST_CASE("idle clients are closed, monitors are not") {
    Daemon daemon;
    RawClient idle(daemon.socket);
    RawClient monitor(daemon.socket);
    CHECK(
        monitor.call(R"({"jsonrpc":"2.0","id":1,"method":"events.subscribe","params":{"topics":["state"]}})")
            .contains("result"));
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));  // idle timeout is 2 s in this config
    CHECK(idle.closed_by_peer());
    RawClient actor(daemon.socket);
    (void)actor.call(
        R"({"jsonrpc":"2.0","id":1,"method":"tunnels.connect","params":{"name":"office","wait":true}})");
    auto event = json::parse(monitor.line());
    CHECK(event["method"] == "event.state");
    CHECK(event["params"]["name"] == "office");
}

TEST_CASE("unprivileged users can read but not change tunnels") {
    if (::geteuid() != 0) {
        VPNSE_SKIP_OR_FAIL("not root: the unprivileged-user checks need root (setpriv to nobody)");
    }
    Daemon daemon;
    const std::string as_nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
    auto status = run(as_nobody + daemon.ctl("--json status"));
    INFO(status.out);
    CHECK(status.exit_code == 0);
    auto connect = run(as_nobody + daemon.ctl("connect office"));
    CHECK(connect.exit_code == 4);
    CHECK(connect.out ==
          "vpnsectl: connect office: permission denied: tunnels.connect requires root or membership in group "
          "vpnse-it-no-such-group\n");
    CHECK(run(as_nobody + daemon.ctl("disconnect --all")).exit_code == 4);
    CHECK(run(as_nobody + daemon.ctl("reload")).exit_code == 4);
    CHECK(run(as_nobody + daemon.ctl("profiles show office")).exit_code == 0);
    CHECK(run(daemon.ctl("connect office")).exit_code == 0);  // root still can
}
