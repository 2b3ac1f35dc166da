#pragma once
// The system bus connection vpnsed serves and calls on, dispatched on the io thread (bus_loop.hpp).
#include <asio/io_context.hpp>
#include <memory>

#include "dbus/bus_loop.hpp"
#include "vpnse/log.hpp"

namespace sdbus {
class IConnection;
}

namespace vpnsed::dbus {

struct Bus {
    std::unique_ptr<sdbus::IConnection> connection;
    std::unique_ptr<BusLoop> loop;
    ~Bus();
};

// The system bus (DBUS_SYSTEM_BUS_ADDRESS if set). Null when there is none: logged once, as a notice,
// since vpnsed serves its socket either way.
std::unique_ptr<Bus> open_system_bus(asio::io_context& io, const vpnse::Logger& log);

}  // namespace vpnsed::dbus
