// The DHCP option parser: BOOTP header, options (250 continuation, overload), 119 names, 121 routes.
#include <cstddef>
#include <cstdint>

#include "ether/dhcp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vpnse::ether;
    const vpnse::ByteSpan input(data, size);
    DhcpParseError error{};
    if (auto message = parse_dhcp(input, error)) {
        (void)decode_lease_info(*message, error);
        (void)serialize_dhcp(*message);
    }
    (void)parse_search_list(input);
    if (auto routes = parse_classless_routes(input))
        (void)encode_classless_routes(*routes);
    return 0;
}
