#!/usr/bin/env python3
"""The C API from Python ctypes: connect to the fixture, ping the gateway through the packet API."""
import ctypes
import struct
import sys


class Network(ctypes.Structure):
    _fields_ = [("address", ctypes.c_char * 64), ("prefix_length", ctypes.c_uint32),
                ("gateway", ctypes.c_char * 64), ("dns", (ctypes.c_char * 64) * 4), ("dns_count", ctypes.c_uint32),
                ("domain", ctypes.c_char * 256), ("mtu", ctypes.c_uint32), ("route_count", ctypes.c_uint32),
                ("lease_seconds", ctypes.c_uint32)]


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def echo(source, target, sequence):
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x5151, sequence) + bytes(range(56))
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0, 0, 64, 1, 0, source, target)
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + icmp


def main(library, profile_path, gateway):
    lib = ctypes.CDLL(library)
    lib.vpnse_version.restype = ctypes.c_char_p
    lib.vpnse_error_name.restype = ctypes.c_char_p
    assert lib.vpnse_client_connect(None) == 1000, "NULL handle must be refused"
    config = ctypes.c_void_p()
    error = ctypes.create_string_buffer(512)
    toml = open(profile_path, "rb").read()
    rc = lib.vpnse_config_parse(toml, b"py", ctypes.byref(config), error, 512)
    assert rc == 0, error.value
    client = ctypes.c_void_p()
    assert lib.vpnse_client_create(config, None, ctypes.byref(client)) == 0
    lib.vpnse_config_free(config)
    assert lib.vpnse_client_connect(client) == 0
    rc = lib.vpnse_client_wait_state(client, 4, 30000)
    assert rc == 0, lib.vpnse_error_name(rc)
    network = Network()
    assert lib.vpnse_client_network(client, ctypes.byref(network)) == 0
    print("tunnel", network.address.decode(), "gateway", network.gateway.decode())
    source = bytes(int(x) for x in network.address.decode().split("."))
    target = bytes(int(x) for x in gateway.split("."))
    buffer = (ctypes.c_uint8 * 2048)()
    size = ctypes.c_size_t()
    answered = False
    for sequence in range(1, 11):
        packet = echo(source, target, sequence)
        assert lib.vpnse_client_send_packet(client, packet, len(packet)) == 0
        while lib.vpnse_client_recv_packet(client, buffer, 2048, 1000, ctypes.byref(size)) == 0:
            reply = bytes(buffer[:size.value])
            if len(reply) >= 28 and reply[9] == 1 and reply[20] == 0 and reply[24:26] == b"\x51\x51":
                answered = True
                break
        if answered:
            break
    assert answered, "no echo reply through the packet API"
    assert lib.vpnse_client_disconnect(client) == 0
    assert lib.vpnse_client_wait_state(client, 0, 10000) == 0
    lib.vpnse_client_free(client)
    print("PASS ffi_python")


if __name__ == "__main__":
    main(*sys.argv[1:])
