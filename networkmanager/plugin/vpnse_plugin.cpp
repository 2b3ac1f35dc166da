#include "plugin/vpnse_plugin.hpp"

#include <optional>

#include "nm/connection_settings.hpp"
#include "plugin/main_context.hpp"
#include "plugin/nm_ip_config.hpp"
#include "plugin/tunnel_runner.hpp"

namespace vpnse::nm {
namespace {

// The C++ side of one plugin object: what NM asked for and the tunnel serving it.
class Session {
  public:
    Session(NMVpnServicePlugin* plugin, Logger logger) : plugin_(plugin), logger_(std::move(logger)) {}

    bool connect(NMConnection* connection, GError** error);
    bool need_secrets(NMConnection* connection, const char** setting_name);
    bool disconnect();
    // The plugin object is about to report "stopping" to NM.
    void on_plugin_stopping();

  private:
    void on_state(TunnelState state, const Error& error);
    void on_network(const vpnsed::tunnel::NetworkReport& report);
    void fail(const Error& error);

    NMVpnServicePlugin* plugin_;
    Logger logger_;
    std::optional<Profile> profile_;
    std::unique_ptr<TunnelRunner> runner_;
    bool configured_ = false;                    // NM has had a configuration since Connect
    std::optional<NMVpnPluginFailure> failure_;  // what to tell NM when the plugin stops
};

bool Session::connect(NMConnection* connection, GError** error) {
    auto profile = profile_from_nm(settings_of(connection));
    if (!profile) {
        g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS, "%s",
                    profile.error().message().c_str());
        return false;
    }
    profile_ = std::move(profile).value();
    configured_ = false;
    runner_ = std::make_unique<TunnelRunner>(
        TunnelEvents{[this](TunnelState state, const Error& e) { on_state(state, e); },
                     [this](const vpnsed::tunnel::NetworkReport& report) { on_network(report); }},
        logger_.child("tunnel"));
    logger_.info("connecting", {{"connection", nm_connection_get_id(connection)},
                                {"server", profile_->host + ":" + std::to_string(profile_->port)}});
    runner_->start(*profile_);
    return true;
}

bool Session::need_secrets(NMConnection* connection, const char** setting_name) {
    const auto missing = missing_secret(settings_of(connection));
    if (missing.empty())
        return false;
    logger_.info("asking NetworkManager for a secret", {{"secret", missing}});
    *setting_name = NM_SETTING_VPN_SETTING_NAME;
    return true;
}

bool Session::disconnect() {
    runner_.reset();  // logs out, closes the TUN
    profile_.reset();
    configured_ = false;
    return true;
}

void Session::on_network(const vpnsed::tunnel::NetworkReport& report) {
    auto config = nm_ip_config(report, profile_ ? profile_->mtu : 1400);
    logger_.info(configured_ ? "new lease: updating NetworkManager" : "configuration ready",
                 {{"device", report.ifname}, {"address", report.network.address.address.to_string()}});
    nm_vpn_service_plugin_set_config(plugin_, config.config.get());
    nm_vpn_service_plugin_set_ip4_config(plugin_, config.ip4.get());
    if (config.ip6)
        nm_vpn_service_plugin_set_ip6_config(plugin_, config.ip6.get());
    configured_ = true;
}

void Session::on_state(TunnelState state, const Error& error) {
    logger_.info("tunnel state", {{"state", std::string(tunnel_state_name(state))}});
    if (state == TunnelState::reconnecting)
        logger_.warn("session lost, reconnecting", {{"error", error.to_string()}});
    if (state == TunnelState::disconnected && runner_)
        fail(error ? error : Error(ErrorCode::disconnected, "the session ended"));
}

// A final failure: NM is told why (login or connect) and the plugin stops.
void Session::fail(const Error& error) {
    logger_.error("VPN connection failed", {{"error", error.to_string()}});
    const bool login = error.code() == ErrorCode::auth_failed || error.code() == ErrorCode::access_denied ||
                       error.code() == ErrorCode::authtype_not_supported;
    failure_ = login ? NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED : NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED;
    // Later, not from inside the tunnel's own event: stopping destroys the tunnel runner.
    g_object_ref(plugin_);
    on_main_context([plugin = plugin_] {
        GError* ignored = nullptr;
        nm_vpn_service_plugin_disconnect(plugin, &ignored);
        g_clear_error(&ignored);
        g_object_unref(plugin);
    });
}

// libnm's disconnect of a connection still starting reports "connect failed", and NM keeps the last
// reason it heard. Our own reason goes out after libnm's and before the state change NM acts on.
void Session::on_plugin_stopping() {
    if (!failure_)
        return;
    const auto reason = *std::exchange(failure_, std::nullopt);
    GDBusConnection* bus = nm_vpn_service_plugin_get_connection(plugin_);  // a reference of our own
    g_dbus_connection_emit_signal(bus, nullptr, NM_VPN_DBUS_PLUGIN_PATH, NM_VPN_DBUS_PLUGIN_INTERFACE,
                                  "Failure", g_variant_new("(u)", reason), nullptr);
    g_object_unref(bus);
}

void watch_stopping(NMVpnServicePlugin* plugin, Session* session) {
    g_signal_connect(plugin, "state-changed",
                     G_CALLBACK(+[](NMVpnServicePlugin*, guint state, gpointer data) {
                         if (state == NM_VPN_SERVICE_STATE_STOPPING)
                             static_cast<Session*>(data)->on_plugin_stopping();
                     }),
                     session);
}

Session* session_of(NMVpnServicePlugin* plugin) {
    return static_cast<Session*>(g_object_get_data(G_OBJECT(plugin), "vpnse-session"));
}

}  // namespace
}  // namespace vpnse::nm

// The GObject type, outside any namespace: GLib's macros expect C names.
struct VpnsePlugin {
    NMVpnServicePlugin parent;
};
struct VpnsePluginClass {
    NMVpnServicePluginClass parent;
};
G_DEFINE_TYPE(VpnsePlugin, vpnse_plugin, NM_TYPE_VPN_SERVICE_PLUGIN)

static void vpnse_plugin_init(VpnsePlugin*) {}

static void vpnse_plugin_class_init(VpnsePluginClass* type) {
    auto* plugin_class = NM_VPN_SERVICE_PLUGIN_CLASS(type);
    plugin_class->connect = [](NMVpnServicePlugin* plugin, NMConnection* connection,
                               GError** error) -> gboolean {
        return vpnse::nm::session_of(plugin)->connect(connection, error);
    };
    plugin_class->need_secrets = [](NMVpnServicePlugin* plugin, NMConnection* connection,
                                    const char** setting_name, GError**) -> gboolean {
        return vpnse::nm::session_of(plugin)->need_secrets(connection, setting_name);
    };
    plugin_class->disconnect = [](NMVpnServicePlugin* plugin, GError**) -> gboolean {
        return vpnse::nm::session_of(plugin)->disconnect();
    };
}

namespace vpnse::nm {

void PluginDeleter::operator()(NMVpnServicePlugin* plugin) const {
    g_object_unref(plugin);
}

PluginPtr make_plugin(const std::string& bus_name, Logger logger, std::string& error) {
    GError* failure = nullptr;
    auto* object =
        g_initable_new(vpnse_plugin_get_type(), nullptr, &failure, NM_VPN_SERVICE_PLUGIN_DBUS_SERVICE_NAME,
                       bus_name.c_str(), NM_VPN_SERVICE_PLUGIN_DBUS_WATCH_PEER, TRUE, nullptr);
    if (!object) {
        error = failure ? failure->message : "unknown error";
        g_clear_error(&failure);
        return nullptr;
    }
    auto* plugin = NM_VPN_SERVICE_PLUGIN(object);
    auto session = std::make_unique<Session>(plugin, std::move(logger));
    watch_stopping(plugin, session.get());
    g_object_set_data_full(G_OBJECT(plugin), "vpnse-session", session.release(), [](gpointer data) {
        std::unique_ptr<Session>(static_cast<Session*>(data)).reset();
    });
    return PluginPtr(plugin);
}

}  // namespace vpnse::nm
