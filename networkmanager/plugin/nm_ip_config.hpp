#pragma once
// What the tunnel reports (tunnel/tunnel.hpp NetworkReport) as the dictionaries NetworkManager takes from
// a VPN plugin: Config (device, MTU, the server as the external gateway NM keeps outside the tunnel),
// Ip4Config and, with a global IPv6 address, Ip6Config. NM applies them; vpnse applies nothing.
#include <glib.h>

#include <memory>

#include "tunnel/tunnel.hpp"

namespace vpnse::nm {

struct VariantUnref {
    void operator()(GVariant* variant) const { g_variant_unref(variant); }
};
using Variant = std::unique_ptr<GVariant, VariantUnref>;

struct NmIpConfig {
    Variant config;
    Variant ip4;
    Variant ip6;  // null: no global IPv6 address
};

NmIpConfig nm_ip_config(const vpnsed::tunnel::NetworkReport& report, std::uint32_t mtu);

}  // namespace vpnse::nm
