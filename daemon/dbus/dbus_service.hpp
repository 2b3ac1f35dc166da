#pragma once
// vpnsed's D-Bus front door: org.vpnse.Daemon on the system bus, an adapter over the service API like
// the JSON-RPC socket. It keeps one org.vpnse.Tunnel1 object per profile (ObjectManager on /org/vpnse
// announces them) and turns the API's events into PropertiesChanged. docs/ipc-dbus.md.
#include <map>
#include <memory>
#include <string>

#include "api/service_api.hpp"
#include "dbus/bus.hpp"
#include "dbus/daemon_object.hpp"
#include "dbus/object_context.hpp"
#include "dbus/tunnel_object.hpp"

namespace sdbus {
class IObject;
}

namespace vpnsed::dbus {

class DbusService {
  public:
    DbusService(Bus& bus, api::ServiceApi& api, std::string group, vpnse::Logger log);
    ~DbusService();
    DbusService(const DbusService&) = delete;
    DbusService& operator=(const DbusService&) = delete;

    // Registers the objects, follows the API's events and takes the bus name. False (logged) when the
    // bus refuses the name: the socket still serves.
    bool start();

  private:
    void sync_tunnels();  // one object for each profile, no more
    void refresh(const std::string& name);
    void on_stats(const std::vector<protocol::TunnelStatus>& tunnels);

    Bus& bus_;
    ObjectContext context_;
    vpnse::Logger log_;
    std::unique_ptr<sdbus::IObject> root_;  // /org/vpnse: the ObjectManager
    std::unique_ptr<DaemonObject> daemon_;
    std::map<std::string, std::unique_ptr<TunnelObject>> tunnels_;
    service::EventBus::Subscription events_;
};

}  // namespace vpnsed::dbus
