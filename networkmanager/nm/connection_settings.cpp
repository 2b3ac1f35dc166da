#include "nm/connection_settings.hpp"

namespace vpnse::nm {

NmVpnSettings settings_of(NMConnection* connection) {
    NmVpnSettings out;
    out.id = nm_connection_get_id(connection) ? nm_connection_get_id(connection) : "";
    out.uuid = nm_connection_get_uuid(connection) ? nm_connection_get_uuid(connection) : "";
    NMSettingVpn* vpn = nm_connection_get_setting_vpn(connection);
    if (!vpn)
        return out;
    auto collect = [](const char* key, const char* value, gpointer target) {
        (*static_cast<std::map<std::string, std::string>*>(target))[key] = value ? value : "";
    };
    nm_setting_vpn_foreach_data_item(vpn, collect, &out.data);
    nm_setting_vpn_foreach_secret(vpn, collect, &out.secrets);
    return out;
}

NMConnection* connection_from(const NmVpnSettings& settings) {
    NMConnection* connection = nm_simple_connection_new();
    auto* general = NM_SETTING_CONNECTION(nm_setting_connection_new());
    char* uuid = nm_utils_uuid_generate();
    g_object_set(general, NM_SETTING_CONNECTION_ID, settings.id.c_str(), NM_SETTING_CONNECTION_UUID, uuid,
                 NM_SETTING_CONNECTION_TYPE, NM_SETTING_VPN_SETTING_NAME, nullptr);
    g_free(uuid);
    nm_connection_add_setting(connection, NM_SETTING(general));
    auto* vpn = NM_SETTING_VPN(nm_setting_vpn_new());
    g_object_set(vpn, NM_SETTING_VPN_SERVICE_TYPE, kServiceType, nullptr);
    for (const auto& [key, value] : settings.data)
        nm_setting_vpn_add_data_item(vpn, key.c_str(), value.c_str());
    for (const auto& [key, value] : settings.secrets)
        nm_setting_vpn_add_secret(vpn, key.c_str(), value.c_str());
    nm_connection_add_setting(connection, NM_SETTING(vpn));
    return connection;
}

}  // namespace vpnse::nm
