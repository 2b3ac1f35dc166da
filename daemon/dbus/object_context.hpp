#pragma once
// What every vpnsed D-Bus object needs: the service API it adapts, the loop that sends late answers,
// and the group rule's group for identifying callers.
#include <string>

#include "api/service_api.hpp"
#include "dbus/bus_loop.hpp"

namespace vpnsed::dbus {

struct ObjectContext {
    api::ServiceApi& api;
    BusLoop& loop;
    std::string group;
};

}  // namespace vpnsed::dbus
