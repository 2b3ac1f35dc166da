#!/usr/bin/env python3
"""A hostile SoftEther "server" for tests: one TLS (or plain TCP) listener per misbehaviour, each on
its own port from BASE_PORT in the order of CASES. It answers the client's handshake stages wrongly:
silence, garbage, truncated, oversized or endlessly slow data, malformed PACKs, a redirect to itself.

    hostile_server.py CERT KEY HOST BASE_PORT     (prints "ready" when every port listens)
"""
import os
import socket
import ssl
import struct
import sys
import threading
import time

# The order is the port order; tests/e2e/faults_hostile/test.sh lists the same names.
CASES = [
    "tcp_silent",         # TCP accepted, no TLS ever
    "not_tls",            # plain bytes instead of a TLS ServerHello
    "tls_silent",         # TLS up, the signature POST never answered
    "http_not_200",       # HTTP/1.1 500
    "http_huge_length",   # Content-Length of 4 GB
    "http_truncated",     # Content-Length 4000, 10 bytes, then close
    "http_endless_header",  # header lines without end
    "slow_drip",          # a valid-looking reply, one byte per second
    "pack_garbage",       # a body that is no PACK
    "pack_huge_count",    # element count 0xFFFFFFFF
    "hello_no_random",    # a hello without its 20-byte random
    "login_garbage",      # a good hello, then a garbage login reply
    "redirect_self",      # a good hello, then a redirect to this very server
]


def pack(elements):
    """elements: [(name, type, [values])] with type 0 int, 1 data, 2 str."""
    out = struct.pack(">I", len(elements))
    for name, kind, values in elements:
        raw = name.encode()
        out += struct.pack(">I", len(raw) + 1) + raw + struct.pack(">II", kind, len(values))
        for v in values:
            if kind == 0:
                out += struct.pack(">I", v)
            else:
                out += struct.pack(">I", len(v)) + v
    return out


def http_reply(body, content_type=b"application/octet-stream"):
    return (b"HTTP/1.1 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: " + str(len(body)).encode() +
            b"\r\nContent-Type: " + content_type + b"\r\n\r\n" + body)


HELLO = pack([("hello", 2, [b"Hostile VPN Server"]), ("version", 0, [501]), ("build", 0, [9674]),
              ("random", 1, [os.urandom(20)])])


def read_request(conn):
    """Reads one HTTP request (headers + Content-Length body); False when the peer went away."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        body += chunk
    return True


def serve(case, conn, host, port):
    if case == "tcp_silent":
        time.sleep(120)
        return
    if case == "not_tls":
        conn.recv(4096)
        conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n" + os.urandom(2000))
        time.sleep(5)
        return
    if not read_request(conn):  # the signature upload
        return
    if case == "tls_silent":
        time.sleep(120)
    elif case == "http_not_200":
        conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops!")
    elif case == "http_huge_length":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                     b"Content-Length: 4294967295\r\n\r\n")
        while True:  # as much as the client will take
            conn.sendall(os.urandom(65536))
    elif case == "http_truncated":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                     b"Content-Length: 4000\r\n\r\n" + os.urandom(10))
    elif case == "http_endless_header":
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        while True:
            conn.sendall(b"X-Filler: " + b"a" * 1000 + b"\r\n")
    elif case == "slow_drip":
        for byte in http_reply(HELLO):
            conn.sendall(bytes([byte]))
            time.sleep(1)
    elif case == "pack_garbage":
        conn.sendall(http_reply(os.urandom(300)))
    elif case == "pack_huge_count":
        conn.sendall(http_reply(struct.pack(">I", 0xFFFFFFFF) + os.urandom(64)))
    elif case == "hello_no_random":
        conn.sendall(http_reply(pack([("hello", 2, [b"Hostile VPN Server"]), ("version", 0, [501])])))
    elif case in ("login_garbage", "redirect_self"):
        conn.sendall(http_reply(HELLO))
        if not read_request(conn):  # the login PACK
            return
        if case == "login_garbage":
            conn.sendall(http_reply(pack([("pencore", 1, [os.urandom(50)])]) + os.urandom(100)))
        else:
            ip = socket.inet_aton(host)
            reversed_ip = ip[0] | ip[1] << 8 | ip[2] << 16 | ip[3] << 24  # octet-reversed (protocol 5.6)
            conn.sendall(http_reply(pack([("Redirect", 0, [1]), ("Ip", 0, [reversed_ip]),
                                          ("Port", 0, [port]), ("Ticket", 1, [os.urandom(20)]),
                                          ("Cert", 1, [CERT_DER])])))
    time.sleep(5)


def handle(case, context, raw, host, port):
    try:
        conn = raw
        if context is not None:
            raw.settimeout(30)
            conn = context.wrap_socket(raw, server_side=True)
            conn.settimeout(None)
        serve(case, conn, host, port)
    except (OSError, ssl.SSLError):
        pass  # the client hung up, as it should
    finally:
        raw.close()


def listen(case, port, context, host):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(8)
    while True:
        raw, _ = srv.accept()
        tls = None if case in ("tcp_silent", "not_tls") else context
        threading.Thread(target=handle, args=(case, tls, raw, host, port), daemon=True).start()


CERT_DER = b""  # this server's certificate: a redirect to itself passes the client's certificate check


def main():
    global CERT_DER
    cert, key, host, base = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with open(cert) as pem:
        CERT_DER = ssl.PEM_cert_to_DER_cert(pem.read())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    for i, case in enumerate(CASES):
        threading.Thread(target=listen, args=(case, base + i, context, host), daemon=True).start()
    time.sleep(0.5)
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
