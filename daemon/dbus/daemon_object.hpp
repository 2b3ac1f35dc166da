#pragma once
// /org/vpnse/Daemon, interface org.vpnse.Daemon1: the service API's calls as D-Bus methods, and the
// tunnel objects' paths as the Tunnels property.
#include <functional>
#include <memory>
#include <vector>

#include "dbus/object_context.hpp"

namespace sdbus {
class IConnection;
class IObject;
class ObjectPath;
}  // namespace sdbus

namespace vpnsed::dbus {

class DaemonObject {
  public:
    using TunnelPaths = std::function<std::vector<std::string>()>;
    DaemonObject(sdbus::IConnection& connection, ObjectContext& context, TunnelPaths tunnel_paths);
    ~DaemonObject();
    DaemonObject(const DaemonObject&) = delete;
    DaemonObject& operator=(const DaemonObject&) = delete;

    // PropertiesChanged for Tunnels, after the set of tunnel objects changed.
    void tunnels_changed();

  private:
    void register_reads();
    void register_changes();
    api::Caller caller() const;

    ObjectContext& context_;
    TunnelPaths tunnel_paths_;
    std::unique_ptr<sdbus::IObject> object_;
};

}  // namespace vpnsed::dbus
