// vpnsed_test: the real daemon composition (daemon/main.cpp) with the in-memory tunnel factory, so the
// integration tests exercise settings, control socket, service and vpnsectl without root networking.
#include "service/fake_tunnel_factory.hpp"
#include "tunnel/tunnel_factory_linux.hpp"

namespace vpnsed::tunnel {

std::unique_ptr<service::TunnelFactory> make_tunnel_factory(asio::io_context& io,
                                                            const settings::DaemonSettings&,
                                                            const vpnse::Logger& logger) {
    logger.warn("using the fake tunnel factory (test build)");
    // 20 ms per state step keeps transitions observable without slowing the tests.
    return std::make_unique<service::FakeTunnelFactory>(io, false, std::chrono::milliseconds(20));
}

}  // namespace vpnsed::tunnel
