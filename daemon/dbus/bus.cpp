#include "dbus/bus.hpp"

#include <sdbus-c++/sdbus-c++.h>

namespace vpnsed::dbus {

// The loop refers to the connection: it goes first.
Bus::~Bus() {
    loop.reset();
}

std::unique_ptr<Bus> open_system_bus(asio::io_context& io, const vpnse::Logger& log) {
    auto bus = std::make_unique<Bus>();
    try {
        bus->connection = sdbus::createSystemBusConnection();
    } catch (const sdbus::Error& e) {
        log.info("no system bus: the D-Bus API is off (the control socket still serves)",
                 {{"error", e.getMessage()}});
        return nullptr;
    }
    bus->loop = std::make_unique<BusLoop>(io, *bus->connection, log);
    return bus;
}

}  // namespace vpnsed::dbus
