#pragma once
// What the C handles are, shared by the files that implement vpnse.h. Each client handle owns an
// io_context on its own thread; calls from the app are posted there, and what the app may read at any
// time (state, error, network) is kept in a snapshot under a mutex, updated from the client's callbacks.
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vpnse.h"
#include "vpnse/client.hpp"

// A profile as its TOML text and, once that text is a complete, valid profile, the parsed Profile
// (vpnse_config_set_* edit the text and parse it again; `invalid` says why it is not complete yet).
struct vpnse_config {
    std::string source;  // for messages: the file path, or the profile name
    std::string name;
    std::string toml;
    vpnse::Profile profile;
    std::optional<vpnse::Error> invalid;
    std::string host_name;
    // vpnse_config_set_client_certificate: PEM or DER bytes, used while the text says
    // auth.method = "certificate" (they win over auth.cert_file / auth.key_file).
    std::string cert_data;
    std::string key_data;  // never logged
};

// The hooks an app sets after creating its client (vpnse_client_set_*); read and written on the
// client's thread only.
struct vpnse_app_hooks {
    vpnse_protect_callback protect = nullptr;
    void* protect_user = nullptr;
    vpnse_network_callback on_network = nullptr;
    void* network_user = nullptr;
    vpnse_stats_callback on_stats = nullptr;
    void* stats_user = nullptr;
    std::chrono::milliseconds stats_interval{0};
    std::optional<asio::steady_timer> stats_timer;
};

// TUN-fd mode (vpnse_client_attach_tun_fd): the library's own duplicate of the app's fd and the pump
// over it, defined where the platform implements the mode (capi/tun_fd.cpp on POSIX; Windows has no
// TUN fd, platform/windows/tun_fd_unsupported.cpp); on the client's thread only.
struct vpnse_attached_tun;
struct vpnse_attached_tun_deleter {
    void operator()(vpnse_attached_tun* tun) const noexcept;
};

struct vpnse_client {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    std::thread thread;
    std::unique_ptr<vpnse::Client> client;  // created, used and destroyed on `thread` only
    vpnse_callbacks callbacks{};
    vpnse_app_hooks hooks;
    std::unique_ptr<vpnse_attached_tun, vpnse_attached_tun_deleter> tun;
    vpnse::Logger logger;  // the app's log callback, for what the C API itself reports
    // Freed from inside one of its callbacks: the thread deletes the handle once its loop has drained.
    bool free_on_exit = false;

    std::mutex mutex;
    std::condition_variable changed;
    int state = VPNSE_STATE_DISCONNECTED;
    vpnse::Error error;
    std::optional<vpnse::TunnelNetwork> network;
    std::deque<std::vector<std::uint8_t>> received;
    bool closing = false;
};

namespace vpnse::capi {

// Live handles: lets every entry point reject a dangling or foreign pointer instead of crashing.
bool is_live_client(const vpnse_client* client);
bool is_live_config(const vpnse_config* config);
void register_client(vpnse_client* client);
bool unregister_client(vpnse_client* client);  // false: it was not live
void register_config(vpnse_config* config);
bool unregister_config(vpnse_config* config);

void copy_text(const std::string& text, char* out, std::size_t size);
void to_c_network(const TunnelNetwork& network, vpnse_network* out);
void to_c_route(const Route& route, vpnse_route* out);
vpnse_stats to_c_stats(const ClientStats& stats);

// Runs `work` on the client's thread and returns its result (directly when already there, e.g. from a
// callback).
template <class F>
auto run_on_thread(vpnse_client* c, F&& work) -> decltype(work()) {
    if (c->io.get_executor().running_in_this_thread())
        return work();
    std::packaged_task<decltype(work())()> task(std::forward<F>(work));
    auto result = task.get_future();
    asio::post(c->io, [&task] { task(); });
    return result.get();
}

// The app's packet hook of TUN-fd mode: hands a packet from the tunnel to the attached TUN, if any.
bool write_to_attached_tun(vpnse_client* client, std::span<const std::uint8_t> packet);
// Stops the TUN pump and closes the library's copy of the fd; on the client's thread.
void detach_tun(vpnse_client* client);
// Tells the app about a new or changed tunnel configuration; on the client's thread.
void report_network(vpnse_client* client, const TunnelNetwork& network);
// The protect hook as vpnse::ClientOptions wants it.
std::function<Status(NativeSocket)> protect_hook(vpnse_client* client);

}  // namespace vpnse::capi
