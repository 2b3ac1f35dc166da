// vpnse.h over vpnse::Client: handles, lifecycle, state and packets (handles.hpp says what a handle
// holds; hooks.cpp and tun_fd.cpp add what apps hook in).
#include <cstring>

#include "capi/handles.hpp"
#include "core/base64.hpp"
#include "proto/password.hpp"

using vpnse::capi::copy_text;
using vpnse::capi::is_live_client;
using vpnse::capi::is_live_config;
using vpnse::capi::run_on_thread;

namespace {

// Packets kept for vpnse_client_recv_packet when the app has no packet callback.
constexpr std::size_t kMaxQueuedPackets = 1024;

// Reads the app's log callback when a record comes, so that none reaches the app once it is cleared.
std::shared_ptr<const vpnse::LogSink> make_log_sink(vpnse_client* raw) {
    return std::make_shared<const vpnse::LogSink>([raw](const vpnse::LogRecord& record) {
        if (raw->callbacks.on_log == nullptr)
            return;
        std::string message(record.message);
        for (const auto& field : record.fields)
            message += " " + field.key + "=" + field.value;
        const std::string component(record.component);
        raw->callbacks.on_log(raw->callbacks.user, static_cast<int>(record.level), component.c_str(),
                              message.c_str());
    });
}

void on_client_state(vpnse_client* raw, vpnse::TunnelState state, const vpnse::Error& error) {
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
        raw->callbacks.on_state(raw->callbacks.user, static_cast<int>(state), static_cast<int>(error.code()),
                                error.message().c_str());
    }
}

void on_client_packet(vpnse_client* raw, std::span<const std::uint8_t> packet) {
    if (vpnse::capi::write_to_attached_tun(raw, packet))
        return;
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
}

// On the client's thread.
void make_client(vpnse_client* raw, const vpnse::Profile& profile, const std::string& host_name) {
    vpnse::ClientCallbacks cb;
    cb.on_state = [raw](vpnse::TunnelState state, const vpnse::Error& error) {
        on_client_state(raw, state, error);
    };
    cb.on_network = [raw](const vpnse::TunnelNetwork& network) {
        {
            std::lock_guard lock(raw->mutex);
            if (raw->state == VPNSE_STATE_ESTABLISHED)
                raw->network = network;
        }
        vpnse::capi::report_network(raw, network);
    };
    cb.on_packet = [raw](std::span<const std::uint8_t> packet) { on_client_packet(raw, packet); };
    vpnse::ClientOptions options;
    options.log_sink = make_log_sink(raw);
    options.log_level = static_cast<vpnse::LogLevel>(std::clamp(raw->callbacks.log_level, 0, 5));
    options.host_name = host_name;
    options.protect_socket = vpnse::capi::protect_hook(raw);
    raw->logger = vpnse::Logger(options.log_sink, "capi", options.log_level);
    raw->client = std::make_unique<vpnse::Client>(raw->io, profile, std::move(cb), options);
}

void run_client_thread(vpnse_client* raw) {
    raw->io.run();
    if (raw->free_on_exit)
        std::unique_ptr<vpnse_client> owned(raw);  // freed from a callback (vpnse_client_free)
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

extern "C" {

int vpnse_client_create(const vpnse_config* config, const vpnse_callbacks* callbacks, vpnse_client** out) {
    if (out == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    *out = nullptr;
    if (!is_live_config(config))
        return VPNSE_E_INVALID_ARGUMENT;
    if (config->invalid)
        return VPNSE_E_CONFIG_INVALID;  // built key by key and not complete yet (vpnse_config_check says why)
    auto c = std::make_unique<vpnse_client>();
    if (callbacks != nullptr)
        c->callbacks = *callbacks;
    c->thread = std::thread(run_client_thread, c.get());
    vpnse_client* raw = c.get();
    run_on_thread(raw, [raw, config] { make_client(raw, config->profile, config->host_name); });
    vpnse::capi::register_client(raw);
    *out = c.release();  // ownership crosses the C boundary; vpnse_client_free takes it back
    return VPNSE_OK;
}

void vpnse_client_free(vpnse_client* client) {
    if (!vpnse::capi::unregister_client(client))
        return;
    std::unique_ptr<vpnse_client> owned(client);
    const bool from_callback = client->io.get_executor().running_in_this_thread();
    // Nothing reaches the app from here on; dropping the client starts the graceful closes, which finish
    // on the loop before run() returns.
    run_on_thread(client, [client] {
        client->callbacks = {};
        client->hooks = {};
        vpnse::capi::detach_tun(client);
        if (client->client)
            client->client->disconnect();
        client->client.reset();
    });
    {
        std::lock_guard lock(client->mutex);
        client->closing = true;
    }
    client->changed.notify_all();
    client->work.reset();
    if (from_callback) {
        // The thread cannot join itself: it deletes the handle when its loop has drained.
        client->free_on_exit = true;
        client->thread.detach();
        (void)owned.release();
        return;
    }
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
    if (!is_live_client(client))
        return VPNSE_E_INVALID_ARGUMENT;
    asio::post(client->io, [client] {
        if (client->client)
            client->client->connect();
    });
    return VPNSE_OK;
}

int vpnse_client_disconnect(vpnse_client* client) {
    if (!is_live_client(client))
        return VPNSE_E_INVALID_ARGUMENT;
    asio::post(client->io, [client] {
        if (client->client)
            client->client->disconnect();
    });
    return VPNSE_OK;
}

int vpnse_client_wait_state(vpnse_client* client, int state, int timeout_ms) {
    if (!is_live_client(client))
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
    if (!is_live_client(client) || state == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    std::lock_guard lock(client->mutex);
    *state = client->state;
    return VPNSE_OK;
}

int vpnse_client_last_error(vpnse_client* client, char* text, std::size_t text_size) {
    if (!is_live_client(client))
        return VPNSE_E_INVALID_ARGUMENT;
    std::lock_guard lock(client->mutex);
    copy_text(client->error.message(), text, text_size);
    return static_cast<int>(client->error.code());
}

int vpnse_client_stats(vpnse_client* client, vpnse_stats* stats) {
    if (!is_live_client(client) || stats == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    const auto s = run_on_thread(
        client, [client] { return client->client ? client->client->stats() : vpnse::ClientStats{}; });
    *stats = vpnse::capi::to_c_stats(s);
    return VPNSE_OK;
}

int vpnse_client_udp_stats(vpnse_client* client, vpnse_udp_stats* stats) {
    if (!is_live_client(client) || stats == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    const auto s = run_on_thread(
        client, [client] { return client->client ? client->client->stats() : vpnse::ClientStats{}; });
    const auto& u = s.udp;
    *stats = vpnse_udp_stats{u.supported ? 1 : 0, u.active ? 1 : 0,     u.version,           u.fallbacks,
                             u.datagrams_sent,    u.datagrams_received, u.datagrams_dropped, u.frames_sent,
                             u.frames_received,   u.bytes_sent,         u.bytes_received};
    return VPNSE_OK;
}

int vpnse_client_network(vpnse_client* client, vpnse_network* network) {
    if (!is_live_client(client) || network == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    std::lock_guard lock(client->mutex);
    if (!client->network)
        return VPNSE_E_NOT_CONNECTED;
    const auto& n = *client->network;
    vpnse::capi::to_c_network(n, network);
    return VPNSE_OK;
}

int vpnse_client_route(vpnse_client* client, std::uint32_t index, char* destination,
                       std::size_t destination_size, char* gateway, std::size_t gateway_size) {
    if (!is_live_client(client))
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

int vpnse_client_ipv6_address(vpnse_client* client, std::uint32_t index, char* address,
                              std::size_t address_size, std::uint32_t* prefix_length) {
    if (!is_live_client(client) || address == nullptr || prefix_length == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    std::lock_guard lock(client->mutex);
    if (!client->network)
        return VPNSE_E_NOT_CONNECTED;
    if (index >= client->network->ipv6_addresses.size())
        return VPNSE_E_NOT_FOUND;
    const auto& cidr = client->network->ipv6_addresses[index];
    copy_text(cidr.address.to_string(), address, address_size);
    *prefix_length = static_cast<std::uint32_t>(cidr.prefix);
    return VPNSE_OK;
}

int vpnse_client_ipv6_dns(vpnse_client* client, std::uint32_t index, char* address,
                          std::size_t address_size) {
    if (!is_live_client(client) || address == nullptr)
        return VPNSE_E_INVALID_ARGUMENT;
    std::lock_guard lock(client->mutex);
    if (!client->network)
        return VPNSE_E_NOT_CONNECTED;
    if (index >= client->network->ipv6_dns.size())
        return VPNSE_E_NOT_FOUND;
    copy_text(client->network->ipv6_dns[index].to_string(), address, address_size);
    return VPNSE_OK;
}

int vpnse_client_send_packet(vpnse_client* client, const std::uint8_t* packet, std::size_t size) {
    if (!is_live_client(client) || packet == nullptr || size == 0 || size > 65535)
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
    if (!is_live_client(client) || buffer == nullptr || size == nullptr)
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
