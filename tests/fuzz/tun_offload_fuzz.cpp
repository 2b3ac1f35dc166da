// What a TUN with offloads hands over (10-byte virtio_net_hdr + packet) goes to the segmenter; the
// packet and every segment then go to the write batch, and every super-packet the batch builds must
// segment again without error into segments no bigger than the largest packet that went in.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "tun/offload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vpnse::tun;
    if (size < kVirtioNetHdrSize)
        return 0;
    const VirtioNetHdr hdr = VirtioNetHdr::decode(data);
    std::vector<std::uint8_t> packet(data + kVirtioNetHdrSize, data + size);
    std::vector<std::uint8_t> scratch(1600);
    TunWriteBatch batch;
    batch.add(packet);
    std::size_t largest = packet.size();
    (void)to_string(segment_packet(hdr, packet, scratch, [&](std::span<const std::uint8_t> segment) {
        const bool in_packet = segment.data() == packet.data() && segment.size() == packet.size();
        const bool in_scratch = segment.data() == scratch.data() && segment.size() <= scratch.size();
        if (!in_packet && !in_scratch)
            std::abort();
        largest = std::max(largest, segment.size());
        if (!batch.full())
            batch.add(segment);
    }));

    std::vector<std::uint8_t> again(kMaxOffloadPacket);
    batch.flush([&](std::span<const std::uint8_t> out) {
        if (out.size() <= kVirtioNetHdrSize || out.size() > kVirtioNetHdrSize + kMaxOffloadPacket)
            std::abort();
        const VirtioNetHdr merged = VirtioNetHdr::decode(out.data());
        if (merged.gso_type == kVnetGsoNone)
            return;
        std::vector<std::uint8_t> copy(out.begin() + kVirtioNetHdrSize, out.end());
        const auto error = segment_packet(merged, copy, again, [&](std::span<const std::uint8_t> segment) {
            if (segment.size() > largest)
                std::abort();
        });
        if (error != OffloadError::ok)
            std::abort();
    });
    return 0;
}
