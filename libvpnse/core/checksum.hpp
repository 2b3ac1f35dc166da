#pragma once
// The Internet checksum (RFC 1071) of IPv4 headers, ICMP, UDP and TCP: the one implementation, used by
// ether/ (packets the virtual endpoint builds and checks) and by the daemon's TUN offloads (segments
// of 64 KiB super-packets, so it has to be fast).
//
// Two representations, never mixed:
// - CsumPartial, a running sum of bytes as they lie in memory. Opaque: bytes go in through csum_add()
//   (or csum_pseudo_header()), never numbers, so no caller has to know its byte order.
// - A 16-bit result of csum_fold()/csum_finish(): a plain number in network convention, the value
//   load_be16() reads from a checksum field and store_be16() writes into one.
#include <cstdint>

#include "core/bytes.hpp"

namespace vpnse {

struct CsumPartial {
    // Memory-order 16-bit words summed in host order (RFC 1071 1.2.B: the sum is byte-order
    // independent up to one swap at the end), kept small enough that chaining never overflows.
    std::uint64_t words = 0;
};

// Adds `data` to `sum`. Any alignment in memory; but every span but the last of one checksum must have
// an even length, as each starts a new 16-bit word (an odd tail is padded with a zero byte).
CsumPartial csum_add(ByteSpan data, CsumPartial sum = {}) noexcept;
// The TCP/UDP/ICMPv6 pseudo-header: addresses (4 or 16 bytes each), protocol, upper-layer length.
CsumPartial csum_pseudo_header(ByteSpan source, ByteSpan destination, std::uint8_t protocol,
                               std::uint32_t length) noexcept;
// The folded one's complement sum, not complemented (what CHECKSUM_PARTIAL leaves in a field, and
// 0xffff when a packet with its checksum field included verifies).
std::uint16_t csum_fold(CsumPartial sum) noexcept;
// The checksum field value: the complemented fold (0 when a packet with its field included verifies).
inline std::uint16_t csum_finish(CsumPartial sum) noexcept {
    return static_cast<std::uint16_t>(~csum_fold(sum));
}
// csum_finish(csum_add(data)).
inline std::uint16_t internet_checksum(ByteSpan data) noexcept {
    return csum_finish(csum_add(data));
}

}  // namespace vpnse
