// Drives VirtualEthernet::handle_frame with arbitrary frames in a configured state (static IPv4 +
// IPv6 link-local), and in DHCP selecting state; the first byte picks the mode.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ether/virtual_ethernet.hpp"

namespace {

// Remembers the xid of the last DHCP message sent, so replies can be made to match it.
struct NullHost final : vpnse::ether::EndpointHost {
    std::uint32_t xid = 0;
    void send_frame(vpnse::ByteSpan frame) override {
        if (frame.size() >= 14 + 28 + 8 && frame[12] == 0x08 && frame[13] == 0x00 && frame[14 + 23] == 68)
            xid = vpnse::load_be32(frame.data() + 14 + 28 + 4);
    }
    void deliver_packet(vpnse::ByteSpan) override {}
    void on_config_changed(const vpnse::ether::NetworkConfig&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vpnse::ether;
    if (size < 1)
        return 0;
    NullHost host;
    vpnse::SeededRandom rng(1);
    EndpointOptions options;
    options.mac = *MacAddress::parse("5e:00:00:00:00:01");
    options.max_pending_packets = 4;
    if ((data[0] & 1) == 0) {
        options.use_dhcp = false;
        NetworkConfig config;
        config.address = Ipv4Address::from_octets(192, 168, 30, 5);
        config.prefix_length = 24;
        config.gateway = Ipv4Address::from_octets(192, 168, 30, 1);
        options.static_config = config;
    }
    VirtualEthernet endpoint(options, host, rng);
    const auto now = vpnse::TimePoint{} + std::chrono::seconds{100};
    endpoint.start(now);
    // The rest may hold several frames, each prefixed with a 2-byte length.
    vpnse::ByteReader reader({data + 1, size - 1});
    std::uint16_t length = 0;
    int count = 0;
    while (reader.read_u16(length) && count++ < 16) {
        vpnse::ByteSpan frame;
        if (!reader.read_span(std::min<std::size_t>(length, reader.remaining()), frame))
            break;
        std::vector<std::uint8_t> copy(frame.begin(), frame.end());
        if (copy.size() >= 14 + 28 + 8 && copy[14 + 23] == 68)  // UDP to port 68: use the live xid
            vpnse::store_be32(copy.data() + 14 + 28 + 4, host.xid);
        endpoint.handle_frame(copy, now);
        if (frame.size() > 14)
            endpoint.send_packet(frame.subspan(14), now);
    }
    endpoint.handle_timeout(now + std::chrono::seconds{10});
    (void)endpoint.next_deadline();
    return 0;
}
