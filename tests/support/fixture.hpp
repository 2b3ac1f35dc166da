#pragma once
// RAII handle on a real SoftEther VPN Server fixture (tests/support/se-fixture): the constructor runs
// `se-fixture up`, the destructor `se-fixture down`. Needs root and Debian's softether-vpnserver; check
// available() first and skip the test otherwise.
//
//   if (!vpnse::test::SoftEtherFixture::available()) SKIP("needs root and softether-vpnserver");
//   vpnse::test::SoftEtherFixture server{vpnse::test::SoftEtherFixture::unique_name("cn")};
//   auto r = server.run_in_client_ns("curl -sk https://" + server.env().server_ip + "/");
//
// Topology and the meaning of every field: tests/e2e/fixture_smoke/README.md.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vpnse::test {

// The fixture's env file (`se-fixture env NAME`), parsed.
struct SoftEtherEnv {
    std::string name;
    int index = 0;
    std::string state_dir;
    std::string server_ns;  // vse-s-NAME
    std::string client_ns;  // vse-c-NAME unless shared
    std::string server_if;
    std::string client_if;
    std::string server_ip;  // 10.250.INDEX.1
    std::string client_ip;  // 10.250.INDEX.2
    std::uint16_t server_port = 443;
    std::uint16_t server_alt_port = 5555;
    std::string hub;               // TEST
    std::string user, password;    // alice / secret
    std::string user2, password2;  // bob / non-ASCII UTF-8 password
    std::string user3, password3;  // carol / secret2, policy MaxConnection=user3_max_connection
    int user3_max_connection = 0;
    std::string anon_user;   // guest (anonymous authentication)
    std::string vpn_subnet;  // 192.168.(100+INDEX).0/24
    std::string vpn_netmask;
    std::string vpn_gateway;  // SecureNAT virtual host, .1
    std::string dhcp_pool_start, dhcp_pool_end;
    int dhcp_lease_seconds = 0;
    std::string dns;
    std::string domain;
    std::string pushed_route;  // 10.123.INDEX.0/24 (DHCP option 121/249)
    std::string pushed_route_gateway;
    std::string bridge_if;       // tap_vsebr in the server netns
    std::string bridge_host_ip;  // .2, reachable through the VPN; iperf3 -s listens here
    std::uint16_t iperf_port = 5201;
    int server_pid = 0;
    std::string server_log;
    std::string server_cert_pem;             // path to the server certificate (PEM)
    std::string server_cert_sha256;          // SHA-256 of its DER encoding, lower-case hex, no colons
    std::map<std::string, std::string> raw;  // every KEY=VALUE line, including keys not listed above
};

// Parses KEY=VALUE lines (blank lines and # comments skipped; optional '…' or "…" quotes removed).
// Throws std::runtime_error if a required key is missing or malformed.
SoftEtherEnv parse_softether_env(std::string_view text);

struct CommandResult {
    int exit_code = -1;  // exit status, or 128 + signal number
    std::string output;  // stdout
    std::string errors;  // stderr
    bool ok() const { return exit_code == 0; }
};

// Runs argv (PATH lookup) with stdin from /dev/null, capturing stdout and stderr; closes every other fd
// in the child so nothing the test holds leaks into daemons it may start.
CommandResult run_command(const std::vector<std::string>& argv);

class SoftEtherFixture {
  public:
    // index: 1..50, or 0 to let the script pick a free one ("auto"). client_ns: empty for vse-c-NAME; give
    // the same name to two fixtures to reach both servers from one namespace.
    explicit SoftEtherFixture(std::string name, int index = 0, std::string client_ns = {});
    ~SoftEtherFixture();
    SoftEtherFixture(const SoftEtherFixture&) = delete;
    SoftEtherFixture& operator=(const SoftEtherFixture&) = delete;
    SoftEtherFixture(SoftEtherFixture&&) = delete;
    SoftEtherFixture& operator=(SoftEtherFixture&&) = delete;

    // Root, the vpnserver binary and the script are there. `why` (optional) receives the reason if not.
    static bool available(std::string* why = nullptr);
    // VPNSE_SOURCE_DIR "/tests/support/se-fixture" (overridable with the VSE_FIXTURE_SCRIPT env variable).
    static std::string script_path();
    // A valid fixture name (≤ 8 chars) unique per process and call: prefix (≤ 2 chars) + pid + counter.
    static std::string unique_name(std::string_view prefix = "t");

    const SoftEtherEnv& env() const { return env_; }

    // `ip netns exec <client_ns> sh -c <shell_command>`; same for the server netns.
    CommandResult run_in_client_ns(const std::string& shell_command) const;
    CommandResult run_in_server_ns(const std::string& shell_command) const;
    // `se-fixture vpncmd NAME args...`: args may start with vpncmd options such as "/CSV", then the command.
    CommandResult vpncmd(const std::vector<std::string>& args) const;

    // Stop and start vpnserver with the same state; waits until it and the bridge are ready again.
    // Updates env().server_pid. Throw std::runtime_error on failure.
    // crash = false: SIGTERM, a clean shutdown (sessions closed, ≈2-3 s); true: SIGKILL, like a crash.
    void restart_server(bool crash = false);
    void stop_server(bool crash = false);
    void start_server();
    // Disconnect every client session on hub TEST (only `user`'s if given). Throws on failure.
    void kill_connections(const std::string& user = {});

  private:
    CommandResult script(std::vector<std::string> args) const;
    void reload_env();

    std::string name_;
    SoftEtherEnv env_;
};

}  // namespace vpnse::test
