"""Control-socket abuse against a running vpnsed: each case must leave the daemon answering another
client promptly. Usage: abuse.py SOCKET PID. Prints one RESULT line per case; exits 1 on a failure."""
import json
import os
import socket
import sys
import time

path, pid = sys.argv[1], int(sys.argv[2])
failed = False


def rss_kb():
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


def client(timeout=5.0):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


def read_line(s):
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk
    return data


def version_ms():
    """A well-behaved client's round trip; the daemon must answer it whatever the others do."""
    t0 = time.monotonic()
    with client() as s:
        s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"version"}\n')
        reply = json.loads(read_line(s))
    assert "result" in reply, reply
    return (time.monotonic() - t0) * 1000


def case(name, check):
    global failed
    try:
        detail = check()
        ms = version_ms()
        ok = ms < 1000
        print(f"   RESULT {name}: {detail}; another client's version call {ms:.0f} ms, RSS {rss_kb() // 1024} MiB",
              flush=True)
        if not ok:
            failed = True
            print(f"FAIL {name}: the daemon took {ms:.0f} ms to answer", flush=True)
    except Exception as e:  # noqa: BLE001 - any surprise is a failure of this case
        failed = True
        print(f"FAIL {name}: {e!r}", flush=True)


def over_long_line():
    with client() as s:
        try:
            s.sendall(b"x" * (2 * 1024 * 1024))
            reply = read_line(s)
        except (BrokenPipeError, ConnectionResetError):
            return "connection closed while sending"
    return f"answered {reply[:80]!r} and closed" if reply else "closed"


def deep_nesting():
    depth = 400_000  # within the 1 MiB line
    with client() as s:
        s.sendall(b"[" * depth + b"]" * depth + b"\n")
        reply = json.loads(read_line(s))
    assert "error" in reply, reply
    return f"error {reply['error']['code']}: {reply['error']['message']}"


def deep_object():
    depth = 100_000
    line = b'{"jsonrpc":"2.0","id":1,"method":"version","params":' + b'{"a":' * depth + b"1" + b"}" * depth + b"}\n"
    with client() as s:
        s.sendall(line)
        reply = json.loads(read_line(s))
    return "error " + str(reply["error"]["code"]) if "error" in reply else "answered"


def invalid_utf8():
    with client() as s:
        s.sendall(b'{"jsonrpc":"2.0","id":7,"method":"profiles.get","params":{"name":"\xff\xfe"}}\n')
        reply = json.loads(read_line(s))
    assert "error" in reply, reply
    return f"error {reply['error']['code']}: {reply['error']['message']}"


def idle_connections():
    idle = [client() for _ in range(300)]
    try:
        return f"{len(idle)} idle connections open"
    finally:
        for s in idle:
            s.close()


def never_reading_subscriber():
    s = client()
    s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"events.subscribe","params":{"topics":["log","state","stats"]}}\n')
    before = rss_kb()
    # The subscriber never reads; other clients keep asking for logs meanwhile, which log lines of their own.
    for _ in range(200):
        with client() as other:
            other.sendall(b'{"jsonrpc":"2.0","id":2,"method":"daemon.logs","params":{"lines":1000}}\n')
            read_line(other)
    grown = rss_kb() - before
    s.close()
    assert grown < 64 * 1024, f"RSS grew {grown} kB"
    return f"RSS grew {grown} kB"


case("2 MiB line without a newline", over_long_line)
case("400 000 nested arrays", deep_nesting)
case("100 000 nested objects in params", deep_object)
case("invalid UTF-8 in a string", invalid_utf8)
case("300 idle connections", idle_connections)
case("a subscriber that never reads", never_reading_subscriber)
os.kill(pid, 0)  # still alive
sys.exit(1 if failed else 0)
