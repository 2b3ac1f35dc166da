#!/usr/bin/env python3
"""Writes the seed corpora of the proto_* fuzz targets (run from the repository root)."""
import os
import struct


def element(name, vtype, values):
    out = struct.pack(">I", len(name) + 1) + name.encode() + struct.pack(">II", vtype, len(values))
    for v in values:
        if vtype == 0:
            out += struct.pack(">I", v)
        elif vtype == 4:
            out += struct.pack(">Q", v)
        elif vtype == 3:
            out += struct.pack(">I", len(v) + 1) + v + b"\0"
        else:
            out += struct.pack(">I", len(v)) + v
    return out


def pack(*elements):
    return struct.pack(">I", len(elements)) + b"".join(elements)


def write(target, name, data):
    folder = os.path.join("tests/fuzz/corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


hello = pack(element("hello", 2, [b"SoftEther VPN Server"]), element("version", 0, [501]),
             element("build", 0, [9674]), element("random", 1, [bytes(range(20))]),
             element("pencore", 1, [b"\x00" * 33]))
welcome = pack(element("session_name", 2, [b"SID-ALICE-1"]), element("connection_name", 2, [b"CID-1"]),
               element("session_key", 1, [bytes(20)]), element("max_connection", 0, [4]),
               element("use_encrypt", 0, [1]), element("timeout", 0, [20000]), element("Msg", 1, [b"hi"]),
               element("policy:MaxConnection", 0, [32]), element("t64", 4, [1 << 40]),
               element("u", 3, [b"\xc3\xa9"]), element("Port", 0, [443, 992]))
error = pack(element("error", 0, [9]), element("no_save_password", 0, [0]))
redirect = pack(element("Redirect", 0, [1]), element("Ip", 0, [0x0100000A]), element("Port", 0, [443]),
                element("Ticket", 1, [bytes(20)]), element("Cert", 1, [b"\x30\x82"]))
for target in ("proto_pack_fuzz", "proto_login_fuzz"):
    write(target, "hello", hello)
    write(target, "welcome", welcome)
    write(target, "error", error)
    write(target, "redirect", redirect)

arp = bytes.fromhex("ffffffffffff0200000000010806000108000604000102000000"
                    "0001c0a81e0a000000000000c0a81e01")
batch = struct.pack(">I", 2) + struct.pack(">I", len(arp)) + arp + struct.pack(">I", 0)
keepalive = struct.pack(">II", 0xFFFFFFFF, 4) + b"\xa1\xb2\xc3\xd4"
write("proto_framing_fuzz", "plain", b"\x00\x05" + batch + keepalive)
write("proto_framing_fuzz", "zero_count", b"\x00\x01" + struct.pack(">I", 0) + batch)
import zlib
z = zlib.compress(arp)
write("proto_framing_fuzz", "compressed", b"\x01\x03" + struct.pack(">II", 1, len(z)) + z + keepalive)

body = welcome
response = (b"HTTP/1.1 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: " + str(len(body)).encode() +
            b"\r\nContent-Type: application/octet-stream\r\nKeep-Alive: timeout=15; max=19\r\n\r\n" + body)
write("proto_http_fuzz", "welcome", response + b"\x00\x00\x00\x01")
write("proto_http_fuzz", "forbidden", b"HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nnope!")
