#!/usr/bin/env python3
"""Writes the seed corpus of tun_offload_fuzz (run from the repository root): what a TUN with
offloads hands over, a 10-byte little-endian virtio_net_hdr and an IP packet."""
import os
import struct

FOLDER = "tests/fuzz/corpus/tun_offload_fuzz"


def csum(data, start=0):
    if len(data) % 2:
        data += b"\0"
    s = start + sum(struct.unpack(">%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def pseudo(ip, proto, length):
    addrs = ip[12:20] if ip[0] >> 4 == 4 else ip[8:40]
    return csum(addrs + struct.pack(">IxxxB", length, proto))


def ipv4(proto, l4, ident=0x1234):
    hdr = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), ident, 0x4000, 64, proto, 0,
                                bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])))
    struct.pack_into(">H", hdr, 10, ~csum(bytes(hdr)) & 0xFFFF)
    return hdr + l4


def ipv6(proto, l4):
    src = bytes([0xFD] + [0] * 14 + [1])
    dst = bytes([0xFD] + [0] * 14 + [2])
    return bytearray(struct.pack(">IHBB16s16s", 0x60000000, len(l4), proto, 64, src, dst)) + l4


def tcp(payload, flags=0x10, seq=1000):
    return bytearray(struct.pack(">HHIIBBHHH", 40000, 5201, seq, 777, 5 << 4, flags, 512, 0, 0)) + payload


def udp(payload):
    return bytearray(struct.pack(">HHHH", 5353, 53, 8 + len(payload), 0)) + payload


def partial(packet, proto):
    """CHECKSUM_PARTIAL, as the kernel hands it over: the L4 field holds the pseudo-header sum."""
    l4 = 20 if packet[0] >> 4 == 4 else 40
    field = l4 + (16 if proto == 6 else 6)
    struct.pack_into(">H", packet, field, pseudo(packet, proto, len(packet) - l4))
    return packet


def vnet(flags=0, gso_type=0, hdr_len=0, gso_size=0, csum_start=0, csum_offset=0):
    return struct.pack("<BBHHHH", flags, gso_type, hdr_len, gso_size, csum_start, csum_offset)


def write(name, data):
    os.makedirs(FOLDER, exist_ok=True)
    with open(os.path.join(FOLDER, name), "wb") as f:
        f.write(bytes(data))


payload = bytes((i * 7 + 3) & 0xFF for i in range(250))
write("tcp4_gso.bin", vnet(1, 1, 40, 100, 20, 16) + partial(ipv4(6, tcp(payload, 0x18)), 6))
write("tcp6_gso.bin", vnet(1, 4, 60, 100, 40, 16) + partial(ipv6(6, tcp(payload, 0x18)), 6))
write("udp4_uso.bin", vnet(1, 5, 28, 100, 20, 6) + partial(ipv4(17, udp(payload)), 17))
write("udp6_needs_csum.bin", vnet(1, 0, 0, 0, 40, 6) + partial(ipv6(17, udp(payload[:33])), 17))
# Three consecutive segments would need three inputs; one finished segment exercises the batch's checks.
segment = ipv4(6, tcp(payload[:100]))
struct.pack_into(">H", segment, 36, ~csum(bytes(segment[20:]), pseudo(segment, 6, len(segment) - 20)) & 0xFFFF)
write("tcp4_segment.bin", vnet() + segment)
