#include "capi/handles.hpp"

#include <cstring>
#include <set>

namespace vpnse::capi {
namespace {

std::mutex g_registry_mutex;
std::set<const void*> g_clients;
std::set<const void*> g_configs;

bool is_live(const std::set<const void*>& registry, const void* handle) {
    std::lock_guard lock(g_registry_mutex);
    return handle != nullptr && registry.count(handle) != 0;
}

}  // namespace

bool is_live_client(const vpnse_client* client) {
    return is_live(g_clients, client);
}
bool is_live_config(const vpnse_config* config) {
    return is_live(g_configs, config);
}
void register_client(vpnse_client* client) {
    std::lock_guard lock(g_registry_mutex);
    g_clients.insert(client);
}
bool unregister_client(vpnse_client* client) {
    std::lock_guard lock(g_registry_mutex);
    return g_clients.erase(client) != 0;
}
void register_config(vpnse_config* config) {
    std::lock_guard lock(g_registry_mutex);
    g_configs.insert(config);
}
bool unregister_config(vpnse_config* config) {
    std::lock_guard lock(g_registry_mutex);
    return g_configs.erase(config) != 0;
}

void copy_text(const std::string& text, char* out, std::size_t size) {
    if (out == nullptr || size == 0)
        return;
    const std::size_t n = std::min(text.size(), size - 1);
    std::memcpy(out, text.data(), n);
    out[n] = '\0';
}

void to_c_network(const TunnelNetwork& n, vpnse_network* out) {
    *out = vpnse_network{};
    copy_text(n.address.address.to_string(), out->address, sizeof out->address);
    out->prefix_length = static_cast<std::uint8_t>(n.address.prefix);
    copy_text(n.gateway ? n.gateway->to_string() : std::string(), out->gateway, sizeof out->gateway);
    for (std::size_t i = 0; i < n.dns.size() && i < VPNSE_MAX_DNS; ++i) {
        copy_text(n.dns[i].to_string(), out->dns[i], sizeof out->dns[i]);
        out->dns_count = static_cast<std::uint32_t>(i + 1);
    }
    copy_text(n.domain, out->domain, sizeof out->domain);
    out->mtu = n.mtu;
    out->route_count = static_cast<std::uint32_t>(n.routes.size());
    out->lease_seconds = static_cast<std::uint32_t>(n.lease_time.count());
}

void to_c_route(const Route& route, vpnse_route* out) {
    *out = vpnse_route{};
    copy_text(route.destination.address.to_string(), out->destination, sizeof out->destination);
    out->prefix_length = static_cast<std::uint32_t>(route.destination.prefix);
    copy_text(route.gateway ? route.gateway->to_string() : std::string(), out->gateway, sizeof out->gateway);
}

vpnse_stats to_c_stats(const ClientStats& s) {
    return vpnse_stats{s.bytes_in, s.bytes_out,   s.packets_in, s.packets_out,
                       s.dropped,  s.connections, s.reconnects, static_cast<std::uint64_t>(s.uptime.count())};
}

}  // namespace vpnse::capi
