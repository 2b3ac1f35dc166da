// vpnse.h over vpnse::Client. Each handle owns an io_context on its own thread; calls from the app are
// posted there, and what the app may read at any time (state, error, network) is kept in a snapshot
// under a mutex, updated from the client's callbacks.
#include "vpnse.h"

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <future>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "core/base64.hpp"
#include "profile/profile_parser.hpp"
#include "proto/password.hpp"
#include "tls/client_credential.hpp"
#include "vpnse/client.hpp"

struct vpnse_config {
    vpnse::Profile profile;
    std::string host_name;
};

struct vpnse_client {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    std::thread thread;
    std::unique_ptr<vpnse::Client> client;  // created, used and destroyed on `thread` only
    vpnse_callbacks callbacks{};

    std::mutex mutex;
    std::condition_variable changed;
    int state = VPNSE_STATE_DISCONNECTED;
    vpnse::Error error;
    std::optional<vpnse::TunnelNetwork> network;
    std::deque<std::vector<std::uint8_t>> received;
    bool closing = false;
};

namespace {

// Packets kept for vpnse_client_recv_packet when the app has no packet callback.
constexpr std::size_t kMaxQueuedPackets = 1024;

// Live handles: lets every entry point reject a dangling or foreign pointer instead of crashing.
std::mutex g_registry_mutex;
std::set<const void*> g_clients;
std::set<const void*> g_configs;

bool is_live(const std::set<const void*>& registry, const void* handle) {
    std::lock_guard lock(g_registry_mutex);
    return handle != nullptr && registry.count(handle) != 0;
}

void copy_text(const std::string& text, char* out, std::size_t size) {
    if (out == nullptr || size == 0)
        return;
    const std::size_t n = std::min(text.size(), size - 1);
    std::memcpy(out, text.data(), n);
    out[n] = '\0';
}

template <class F>
auto run_on_thread(vpnse_client* c, F&& work) -> decltype(work()) {
    if (c->io.get_executor().running_in_this_thread())
        return work();
    std::packaged_task<decltype(work())()> task(std::forward<F>(work));
    auto result = task.get_future();
    asio::post(c->io, [&task] { task(); });
    return result.get();
}

std::shared_ptr<const vpnse::LogSink> make_log_sink(const vpnse_callbacks& callbacks) {
    if (callbacks.on_log == nullptr)
        return nullptr;
    return std::make_shared<const vpnse::LogSink>([callbacks](const vpnse::LogRecord& record) {
        std::string message(record.message);
        for (const auto& field : record.fields)
            message += " " + field.key + "=" + field.value;
        const std::string component(record.component);
        callbacks.on_log(callbacks.user, static_cast<int>(record.level), component.c_str(), message.c_str());
    });
}

}  // namespace

extern "C" {

const char* vpnse_version(void) {
    return "0.1.0";
}
int vpnse_abi_version(void) {
    return VPNSE_ABI_VERSION;
}

const char* vpnse_error_name(int code) {
    // error_code_name returns views of string literals, so .data() is NUL-terminated.
    return vpnse::error_code_name(static_cast<vpnse::ErrorCode>(code)).data();
}

}  // extern "C"

namespace {

// Hands a parsed profile to the caller as a registered vpnse_config, or the parse error as text.
int publish_config(vpnse::Result<vpnse::Profile> profile, vpnse_config** out, char* error_text,
                   std::size_t error_size) {
    if (!profile) {
        copy_text(profile.error().message(), error_text, error_size);
        return static_cast<int>(profile.error().code());
    }
    // Ownership crosses the C boundary here; vpnse_config_free takes it back.
    auto config = std::make_unique<vpnse_config>(vpnse_config{std::move(profile).value(), {}});
    {
        std::lock_guard lock(g_registry_mutex);
        g_configs.insert(config.get());
    }
    *out = config.release();
    return VPNSE_OK;
}

}  // namespace

extern "C" {

int vpnse_config_parse(const char* toml, const char* name, vpnse_config** out, char* error_text,
                       std::size_t error_size) {
    if (toml == nullptr || name == nullptr || out == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    *out = nullptr;
    return publish_config(vpnse::parse_profile(toml, name, name), out, error_text, error_size);
}

int vpnse_config_set_host_name(vpnse_config* config, const char* host_name) {
    if (!is_live(g_configs, config) || host_name == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    const std::string_view name(host_name);
    if (name.empty() || name.size() > 255 ||
        !std::all_of(name.begin(), name.end(), [](char c) { return c > 0x20 && c < 0x7f; }))
        return VPNSE_E_INVALID_ARGUMENT;
    config->host_name = name;
    return VPNSE_OK;
}

int vpnse_config_set_proxy(vpnse_config* config, int type, const char* host, std::uint16_t port,
                           const char* username, const char* password, char* error_text,
                           std::size_t error_size) {
    if (!is_live(g_configs, config))
        return VPNSE_E_INVALID_ARGUMENT;
    auto& profile = config->profile;
    if (type == VPNSE_PROXY_NONE) {
        profile.proxy_type = vpnse::ProxyType::none;
        profile.proxy_host.clear();
        profile.proxy_port = 0;
        profile.proxy_username.clear();
        profile.proxy_password.clear();
        return VPNSE_OK;
    }
    if (type != VPNSE_PROXY_HTTP && type != VPNSE_PROXY_SOCKS5) {
        copy_text("type: must be VPNSE_PROXY_NONE, VPNSE_PROXY_HTTP or VPNSE_PROXY_SOCKS5", error_text,
                  error_size);
        return VPNSE_E_INVALID_ARGUMENT;
    }
    const auto proxy_type = type == VPNSE_PROXY_HTTP ? vpnse::ProxyType::http : vpnse::ProxyType::socks5;
    const std::string host_text = host != nullptr ? host : "";
    const std::string user_text = username != nullptr ? username : "";
    const std::string password_text = password != nullptr ? password : "";
    if (auto problem = vpnse::proxy_problem(proxy_type, host_text, port, user_text, password_text)) {
        copy_text(std::string(problem->key) + ": " + problem->message, error_text, error_size);
        return VPNSE_E_INVALID_ARGUMENT;
    }
    profile.proxy_type = proxy_type;
    profile.proxy_host = host_text;
    profile.proxy_port = port;
    profile.proxy_username = user_text;
    profile.proxy_password = password_text;
    return VPNSE_OK;
}

int vpnse_config_set_client_certificate(vpnse_config* config, const std::uint8_t* certificate,
                                        std::size_t certificate_size, const std::uint8_t* private_key,
                                        std::size_t private_key_size, char* error_text,
                                        std::size_t error_size) {
    if (!is_live(g_configs, config) || certificate == nullptr || private_key == nullptr ||
        certificate_size == 0 || private_key_size == 0)
        return VPNSE_E_INVALID_ARGUMENT;
    const vpnse::ByteSpan cert_bytes(certificate, certificate_size);
    const vpnse::ByteSpan key_bytes(private_key, private_key_size);
    // Checked now so the app hears about a bad file here, not at the first connect.
    auto credential = vpnse::tls::ClientCredential::load(cert_bytes, key_bytes, "certificate", "private_key");
    if (!credential) {
        copy_text(credential.error().message(), error_text, error_size);
        return static_cast<int>(credential.error().code());
    }
    auto& profile = config->profile;
    profile.auth_method = vpnse::AuthMethod::certificate;
    profile.password.clear();
    profile.password_hash.reset();
    profile.cert_data.assign(cert_bytes.begin(), cert_bytes.end());
    profile.key_data.assign(key_bytes.begin(), key_bytes.end());
    return VPNSE_OK;
}

int vpnse_config_load(const char* path, vpnse_config** out, char* error_text, std::size_t error_size) {
    if (path == nullptr || out == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    *out = nullptr;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        copy_text(std::string(path) + ": cannot read the file", error_text, error_size);
        return VPNSE_E_CONFIG_INVALID;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::string stem = path;
    if (auto slash = stem.rfind('/'); slash != std::string::npos)
        stem = stem.substr(slash + 1);
    if (auto dot = stem.rfind('.'); dot != std::string::npos)
        stem = stem.substr(0, dot);
    return publish_config(vpnse::parse_profile(text.str(), path, stem), out, error_text, error_size);
}

void vpnse_config_free(vpnse_config* config) {
    {
        std::lock_guard lock(g_registry_mutex);
        if (g_configs.erase(config) == 0)
            return;
    }
    std::unique_ptr<vpnse_config> owned(config);
}

int vpnse_client_create(const vpnse_config* config, const vpnse_callbacks* callbacks, vpnse_client** out) {
    if (out == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    *out = nullptr;
    if (!is_live(g_configs, config))
        return VPNSE_E_INVALID_ARGUMENT;
    auto c = std::make_unique<vpnse_client>();
    if (callbacks != nullptr)
        c->callbacks = *callbacks;
    c->thread = std::thread([raw = c.get()] { raw->io.run(); });

    vpnse_client* raw = c.get();
    run_on_thread(raw, [raw, profile = config->profile, host_name = config->host_name] {
        vpnse::ClientCallbacks cb;
        cb.on_state = [raw](vpnse::TunnelState state, const vpnse::Error& error) {
            {
                std::lock_guard lock(raw->mutex);
                raw->state = static_cast<int>(state);
                raw->error = error;
                if (state != vpnse::TunnelState::established)
                    raw->network.reset();
                else
                    raw->network = raw->client->network();
            }
            raw->changed.notify_all();
            if (raw->callbacks.on_state) {
                raw->callbacks.on_state(raw->callbacks.user, static_cast<int>(state),
                                        static_cast<int>(error.code()), error.message().c_str());
            }
        };
        cb.on_network = [raw](const vpnse::TunnelNetwork& network) {
            std::lock_guard lock(raw->mutex);
            if (raw->state == VPNSE_STATE_ESTABLISHED)
                raw->network = network;
        };
        cb.on_packet = [raw](std::span<const std::uint8_t> packet) {
            if (raw->callbacks.on_packet) {
                raw->callbacks.on_packet(raw->callbacks.user, packet.data(), packet.size());
                return;
            }
            {
                std::lock_guard lock(raw->mutex);
                if (raw->received.size() >= kMaxQueuedPackets)
                    raw->received.pop_front();
                raw->received.emplace_back(packet.begin(), packet.end());
            }
            raw->changed.notify_all();
        };
        vpnse::ClientOptions options;
        options.log_sink = make_log_sink(raw->callbacks);
        options.log_level = static_cast<vpnse::LogLevel>(std::clamp(raw->callbacks.log_level, 0, 5));
        options.host_name = host_name;
        raw->client = std::make_unique<vpnse::Client>(raw->io, profile, std::move(cb), options);
    });
    {
        std::lock_guard lock(g_registry_mutex);
        g_clients.insert(raw);
    }
    *out = c.release();  // ownership crosses the C boundary; vpnse_client_free takes it back
    return VPNSE_OK;
}

void vpnse_client_free(vpnse_client* client) {
    {
        std::lock_guard lock(g_registry_mutex);
        if (g_clients.erase(client) == 0)
            return;
    }
    std::unique_ptr<vpnse_client> owned(client);
    if (owned->io.get_executor().running_in_this_thread())
        std::abort();  // documented: not from a callback
    run_on_thread(client, [client] {
        client->callbacks = {};  // nothing reaches the app from here on
        if (client->client)
            client->client->disconnect();
    });
    // Dropping the client starts the graceful closes; they finish on the loop below before run() returns.
    run_on_thread(client, [client] { client->client.reset(); });
    {
        std::lock_guard lock(client->mutex);
        client->closing = true;
    }
    client->changed.notify_all();
    client->work.reset();
    // Graceful closes drain for at most 2 s (transport/connection.cpp), after which run() returns by
    // itself; the watchdog only stops a loop that is still busy after 3 s.
    std::promise<void> joined;
    auto watchdog = std::async(std::launch::async, [client, done = joined.get_future()] {
        if (done.wait_for(std::chrono::seconds(3)) == std::future_status::timeout)
            client->io.stop();
    });
    client->thread.join();
    joined.set_value();
    watchdog.wait();
}

int vpnse_client_connect(vpnse_client* client) {
    if (!is_live(g_clients, client))
        return VPNSE_E_INVALID_ARGUMENT;
    asio::post(client->io, [client] {
        if (client->client)
            client->client->connect();
    });
    return VPNSE_OK;
}

int vpnse_client_disconnect(vpnse_client* client) {
    if (!is_live(g_clients, client))
        return VPNSE_E_INVALID_ARGUMENT;
    asio::post(client->io, [client] {
        if (client->client)
            client->client->disconnect();
    });
    return VPNSE_OK;
}

int vpnse_client_wait_state(vpnse_client* client, int state, int timeout_ms) {
    if (!is_live(g_clients, client))
        return VPNSE_E_INVALID_ARGUMENT;
    std::unique_lock lock(client->mutex);
    const bool reached = client->changed.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
        return client->state == state || client->closing ||
               (client->state == VPNSE_STATE_DISCONNECTED && client->error.code() != vpnse::ErrorCode::ok);
    });
    if (!reached)
        return VPNSE_E_TIMEOUT;
    if (client->state == state)
        return VPNSE_OK;
    return client->error ? static_cast<int>(client->error.code()) : VPNSE_E_INVALID_STATE;
}

int vpnse_client_state(vpnse_client* client, int* state) {
    if (!is_live(g_clients, client) || state == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    std::lock_guard lock(client->mutex);
    *state = client->state;
    return VPNSE_OK;
}

int vpnse_client_last_error(vpnse_client* client, char* text, std::size_t text_size) {
    if (!is_live(g_clients, client))
        return VPNSE_E_INVALID_ARGUMENT;
    std::lock_guard lock(client->mutex);
    copy_text(client->error.message(), text, text_size);
    return static_cast<int>(client->error.code());
}

int vpnse_client_stats(vpnse_client* client, vpnse_stats* stats) {
    if (!is_live(g_clients, client) || stats == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    const auto s = run_on_thread(
        client, [client] { return client->client ? client->client->stats() : vpnse::ClientStats{}; });
    *stats =
        vpnse_stats{s.bytes_in, s.bytes_out,   s.packets_in, s.packets_out,
                    s.dropped,  s.connections, s.reconnects, static_cast<std::uint64_t>(s.uptime.count())};
    return VPNSE_OK;
}

int vpnse_client_network(vpnse_client* client, vpnse_network* network) {
    if (!is_live(g_clients, client) || network == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    std::lock_guard lock(client->mutex);
    if (!client->network)
        return VPNSE_E_NOT_CONNECTED;
    const auto& n = *client->network;
    *network = vpnse_network{};
    copy_text(n.address.address.to_string(), network->address, sizeof network->address);
    network->prefix_length = static_cast<std::uint8_t>(n.address.prefix);
    copy_text(n.gateway ? n.gateway->to_string() : std::string(), network->gateway, sizeof network->gateway);
    for (std::size_t i = 0; i < n.dns.size() && i < VPNSE_MAX_DNS; ++i) {
        copy_text(n.dns[i].to_string(), network->dns[i], sizeof network->dns[i]);
        network->dns_count = static_cast<std::uint32_t>(i + 1);
    }
    copy_text(n.domain, network->domain, sizeof network->domain);
    network->mtu = n.mtu;
    network->route_count = static_cast<std::uint32_t>(n.routes.size());
    network->lease_seconds = static_cast<std::uint32_t>(n.lease_time.count());
    return VPNSE_OK;
}

int vpnse_client_route(vpnse_client* client, std::uint32_t index, char* destination,
                       std::size_t destination_size, char* gateway, std::size_t gateway_size) {
    if (!is_live(g_clients, client))
        return VPNSE_E_INVALID_ARGUMENT;
    std::lock_guard lock(client->mutex);
    if (!client->network)
        return VPNSE_E_NOT_CONNECTED;
    if (index >= client->network->routes.size())
        return VPNSE_E_NOT_FOUND;
    const auto& route = client->network->routes[index];
    copy_text(route.destination.to_string(), destination, destination_size);
    copy_text(route.gateway ? route.gateway->to_string() : std::string(), gateway, gateway_size);
    return VPNSE_OK;
}

int vpnse_client_send_packet(vpnse_client* client, const std::uint8_t* packet, std::size_t size) {
    if (!is_live(g_clients, client) || packet == nullptr || size == 0 || size > 65535)
        return VPNSE_E_INVALID_ARGUMENT;
    {
        std::lock_guard lock(client->mutex);
        if (client->state != VPNSE_STATE_ESTABLISHED)
            return VPNSE_E_NOT_CONNECTED;
    }
    asio::post(client->io, [client, copy = std::vector<std::uint8_t>(packet, packet + size)] {
        if (client->client)
            client->client->send_packet(copy);
    });
    return VPNSE_OK;
}

int vpnse_client_recv_packet(vpnse_client* client, std::uint8_t* buffer, std::size_t capacity, int timeout_ms,
                             std::size_t* size) {
    if (!is_live(g_clients, client) || buffer == nullptr || size == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    std::unique_lock lock(client->mutex);
    if (!client->changed.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                                  [&] { return !client->received.empty() || client->closing; }) ||
        client->received.empty()) {
        return VPNSE_E_TIMEOUT;
    }
    auto packet = std::move(client->received.front());
    client->received.pop_front();
    const std::size_t n = std::min(capacity, packet.size());
    std::memcpy(buffer, packet.data(), n);
    *size = n;
    return VPNSE_OK;
}

int vpnse_password_hash(const char* username, const char* password, char* out, std::size_t out_size) {
    if (username == nullptr || password == nullptr || out == nullptr || out_size < 29)
        return VPNSE_E_INVALID_ARGUMENT;
    const auto hash = vpnse::proto::hash_password(username, password);
    const std::string text = vpnse::base64_encode(hash);
    copy_text(text, out, out_size);
    return VPNSE_OK;
}

}  // extern "C"
