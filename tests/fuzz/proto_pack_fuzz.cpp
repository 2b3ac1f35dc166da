// PACK decoding of untrusted server bytes: never crash, and whatever decodes must re-encode to a PACK
// that decodes to the same encoding.
#include <cstdlib>

#include "proto/pack.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto pack = vpnse::proto::Pack::decode({data, size});
    if (!pack.ok())
        return 0;
    const auto wire = pack->encode();
    auto again = vpnse::proto::Pack::decode(wire);
    if (!again.ok() || again->encode() != wire)
        std::abort();
    return 0;
}
