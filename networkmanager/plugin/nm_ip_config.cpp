#include "plugin/nm_ip_config.hpp"

#include "nm/libnm.hpp"

#include <cstring>

namespace vpnse::nm {
namespace {

// NM takes IPv4 addresses as a uint32 in network byte order.
std::uint32_t ip4_of(const IpAddress& address) {
    std::uint32_t value = 0;
    std::memcpy(&value, address.bytes().data(), sizeof value);
    return value;
}

GVariant* bytes_of(const IpAddress& address) {
    return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, address.bytes().data(), address.byte_length(), 1);
}

Variant owned(GVariant* floating) {
    return Variant(g_variant_ref_sink(floating));
}

void add(GVariantBuilder& builder, const char* key, GVariant* value) {
    g_variant_builder_add(&builder, "{sv}", key, value);
}

bool is_global_v6(const Cidr& cidr) {
    static const auto link_local = *Cidr::parse("fe80::/10");
    return !cidr.address.is_v4() && !link_local.contains(cidr.address);
}

Variant config_of(const vpnsed::tunnel::NetworkReport& report, std::uint32_t mtu, bool has_ip6) {
    GVariantBuilder builder;
    g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
    add(builder, NM_VPN_PLUGIN_CONFIG_TUNDEV, g_variant_new_string(report.ifname.c_str()));
    add(builder, NM_VPN_PLUGIN_CONFIG_HAS_IP4, g_variant_new_boolean(TRUE));
    add(builder, NM_VPN_PLUGIN_CONFIG_HAS_IP6, g_variant_new_boolean(has_ip6));
    add(builder, NM_VPN_PLUGIN_CONFIG_MTU, g_variant_new_uint32(mtu));
    const auto& server = report.server.address;
    add(builder, NM_VPN_PLUGIN_CONFIG_EXT_GATEWAY,
        server.is_v4() ? g_variant_new_uint32(ip4_of(server)) : bytes_of(server));
    return owned(g_variant_builder_end(&builder));
}

Variant ip4_of_report(const vpnsed::tunnel::NetworkReport& report) {
    const auto& net = report.network;
    GVariantBuilder builder;
    g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
    add(builder, NM_VPN_PLUGIN_IP4_CONFIG_ADDRESS, g_variant_new_uint32(ip4_of(net.address.address)));
    add(builder, NM_VPN_PLUGIN_IP4_CONFIG_PREFIX,
        g_variant_new_uint32(static_cast<std::uint32_t>(net.address.prefix)));
    if (net.gateway && net.gateway->is_v4())
        add(builder, NM_VPN_PLUGIN_IP4_CONFIG_INT_GATEWAY, g_variant_new_uint32(ip4_of(*net.gateway)));
    GVariantBuilder dns;
    g_variant_builder_init(&dns, G_VARIANT_TYPE("au"));
    for (const auto& server : net.dns)
        if (server.is_v4())
            g_variant_builder_add(&dns, "u", ip4_of(server));
    add(builder, NM_VPN_PLUGIN_IP4_CONFIG_DNS, g_variant_builder_end(&dns));
    if (!net.domain.empty())
        add(builder, NM_VPN_PLUGIN_IP4_CONFIG_DOMAIN, g_variant_new_string(net.domain.c_str()));
    GVariantBuilder domains;
    g_variant_builder_init(&domains, G_VARIANT_TYPE("as"));
    for (const auto& domain : net.search_domains)
        g_variant_builder_add(&domains, "s", domain.c_str());
    add(builder, NM_VPN_PLUGIN_IP4_CONFIG_DOMAINS, g_variant_builder_end(&domains));
    // Classless routes as [destination, prefix, next hop (0: on-link), metric (0: NM's)].
    GVariantBuilder routes;
    g_variant_builder_init(&routes, G_VARIANT_TYPE("aau"));
    for (const auto& route : net.routes) {
        if (!route.destination.address.is_v4())
            continue;
        GVariantBuilder one;
        g_variant_builder_init(&one, G_VARIANT_TYPE("au"));
        g_variant_builder_add(&one, "u", ip4_of(route.destination.network().address));
        g_variant_builder_add(&one, "u", static_cast<std::uint32_t>(route.destination.prefix));
        g_variant_builder_add(&one, "u", route.gateway ? ip4_of(*route.gateway) : 0U);
        g_variant_builder_add(&one, "u", 0U);
        g_variant_builder_add_value(&routes, g_variant_builder_end(&one));
    }
    add(builder, NM_VPN_PLUGIN_IP4_CONFIG_ROUTES, g_variant_builder_end(&routes));
    add(builder, NM_VPN_PLUGIN_IP4_CONFIG_NEVER_DEFAULT, g_variant_new_boolean(!report.full_tunnel));
    return owned(g_variant_builder_end(&builder));
}

Variant ip6_of_report(const vpnsed::tunnel::NetworkReport& report, const Cidr& address) {
    GVariantBuilder builder;
    g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
    add(builder, NM_VPN_PLUGIN_IP6_CONFIG_ADDRESS, bytes_of(address.address));
    add(builder, NM_VPN_PLUGIN_IP6_CONFIG_PREFIX,
        g_variant_new_uint32(static_cast<std::uint32_t>(address.prefix)));
    GVariantBuilder dns;
    g_variant_builder_init(&dns, G_VARIANT_TYPE("aay"));
    for (const auto& server : report.network.ipv6_dns)
        g_variant_builder_add_value(&dns, bytes_of(server));
    add(builder, NM_VPN_PLUGIN_IP6_CONFIG_DNS, g_variant_builder_end(&dns));
    add(builder, NM_VPN_PLUGIN_IP6_CONFIG_NEVER_DEFAULT, g_variant_new_boolean(!report.full_tunnel));
    return owned(g_variant_builder_end(&builder));
}

}  // namespace

NmIpConfig nm_ip_config(const vpnsed::tunnel::NetworkReport& report, std::uint32_t mtu) {
    const Cidr* global_v6 = nullptr;
    for (const auto& cidr : report.network.ipv6_addresses)
        if (is_global_v6(cidr)) {
            global_v6 = &cidr;
            break;
        }
    NmIpConfig out;
    out.config = config_of(report, mtu, global_v6 != nullptr);
    out.ip4 = ip4_of_report(report);
    if (global_v6)
        out.ip6 = ip6_of_report(report, *global_v6);
    return out;
}

}  // namespace vpnse::nm
