// IPv6 header and Neighbor Discovery parsing. The checksum is patched in so the fuzzer reaches the
// option parser instead of stopping at bad_checksum.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ether/ipv6_nd.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vpnse::ether;
    const vpnse::ByteSpan input(data, size);
    if (auto header = parse_ipv6(input)) {
        NdParseError error{};
        (void)parse_nd(*header, input.subspan(kIpv6HeaderSize, header->payload_length), error);
    }
    if (size >= 4) {
        std::vector<std::uint8_t> icmp(data, data + size);
        Ipv6Header header;
        header.hop_limit = 255;
        header.source = *Ipv6Address::parse("fe80::1");
        header.destination = *Ipv6Address::parse("ff02::1");
        header.payload_length = static_cast<std::uint16_t>(size);
        icmp[2] = icmp[3] = 0;
        vpnse::store_be16(icmp.data() + 2, ipv6_upper_checksum(header.source, header.destination, 58, icmp));
        NdParseError error{};
        (void)parse_nd(header, icmp, error);
    }
    return 0;
}
