#pragma once
// /org/vpnse/Tunnel/<escaped profile name>, interface org.vpnse.Tunnel1: one profile's tunnel as
// read-only properties (tunnel_properties.hpp) and Connect/Disconnect.
#include <memory>
#include <string>

#include "dbus/object_context.hpp"
#include "dbus/tunnel_properties.hpp"

namespace sdbus {
class IConnection;
class IObject;
}  // namespace sdbus

namespace vpnsed::dbus {

class TunnelObject {
  public:
    // Registered and announced (InterfacesAdded) on construction, withdrawn (InterfacesRemoved) on
    // destruction.
    TunnelObject(sdbus::IConnection& connection, ObjectContext& context, TunnelProperties initial);
    ~TunnelObject();
    TunnelObject(const TunnelObject&) = delete;
    TunnelObject& operator=(const TunnelObject&) = delete;

    const std::string& path() const { return path_; }
    // Emits PropertiesChanged for what differs from the last reading.
    void update(TunnelProperties now);

  private:
    void register_methods();
    void register_properties();

    ObjectContext& context_;
    std::string path_;
    TunnelProperties properties_;
    std::unique_ptr<sdbus::IObject> object_;
};

}  // namespace vpnsed::dbus
