# shellcheck shell=bash
# Helpers of the fault scenarios (tests/e2e/faults_*): source after e2e-daemon.sh, with `ns` (the client
# namespace) and `work` set and vpnsed started by e2e_daemon_start.
#
#   tunnel_field NAME FIELD        one field of `status --json NAME` (last_error → its error name, or "")
#   wait_until TIMEOUT_S CMD...    run CMD every 0.1 s until it succeeds (1 = timed out)
#   wait_state NAME STATE TIMEOUT  wait_until the tunnel is in STATE
#   host_snapshot                  what vpnsed may change on the host, sorted: routes and rules (v4/v6, all
#                                  tables), nft tables, vse-* links, and /etc/resolv.conf as vpnsed sees it
#   now_ms                         milliseconds since the epoch
#   count_log PATTERN              lines of vpnsed.log matching PATTERN (grep -E)

now_ms() { date +%s%3N; }

tunnel_field() {
    ctl --json status "$1" 2>/dev/null | python3 -c '
import json, sys
field = sys.argv[1]
tunnels = json.load(sys.stdin)["tunnels"]
value = tunnels[0].get(field) if tunnels else None
if field == "last_error":
    value = value["name"] if value else ""
print("" if value is None else value)' "$2"
}

wait_until() {
    local timeout=$1
    shift
    local deadline=$(($(now_ms) + timeout * 1000))
    until "$@"; do
        (($(now_ms) < deadline)) || return 1
        sleep 0.1
    done
}

state_is() { [ "$(tunnel_field "$1" state)" = "$2" ]; }
wait_state() { wait_until "$3" state_is "$1" "$2"; }

host_snapshot() {
    ip netns exec "$ns" sh -c 'ip route show table all; ip -6 route show table all; ip rule; ip -6 rule
        nft list tables; ip -o link show | grep -o " vse-[a-z0-9-]*:" || true' | grep -v 'fe80::' | sort
    echo "--- resolv.conf"
    # The daemon's private mount namespace: its /etc is an overlay whose upper layer is $work/etc-up.
    if [ -e "$work/etc-up/resolv.conf" ]; then
        cat "$work/etc-up/resolv.conf"
    else
        cat /etc/resolv.conf
    fi
}

count_log() { grep -cE -- "$1" "$work/vpnsed.log" || true; }

# host_is SNAPSHOT: the host looks exactly like SNAPSHOT (from host_snapshot) now.
host_is() { [ "$(host_snapshot)" = "$1" ]; }

# echo_transfer MIB: MIB random bytes to an echo server behind the hub's bridge (BRIDGE_HOST_IP, in
# SERVER_NS) and back through the tunnel; fails unless both SHA-256 match. Prints the seconds it took.
echo_transfer() {
    local mib=$1 port=9107 server_pid t0
    dd if=/dev/urandom of="$work/xfer.bin" bs=1M count="$mib" status=none
    ip netns exec "$SERVER_NS" python3 - "$BRIDGE_HOST_IP" "$port" <<'PY' &
import socket, sys
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((sys.argv[1], int(sys.argv[2]))); srv.listen(1); srv.settimeout(120)
c, _ = srv.accept(); c.settimeout(120)
data = bytearray()
while True:
    d = c.recv(1 << 16)
    if not d: break
    data += d
c.sendall(data); c.close()
PY
    server_pid=$!
    track_pid "$server_pid"
    wait_until 10 sh -c "ip netns exec '$SERVER_NS' ss -ltn | grep -q ':$port '" || return 1
    t0=$(now_ms)
    ip netns exec "$ns" python3 - "$BRIDGE_HOST_IP" "$port" "$work/xfer.bin" "$work/xfer.back" <<'PY' || return 1
import socket, sys, threading
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=120)
def send():
    with open(sys.argv[3], "rb") as f: s.sendall(f.read())
    s.shutdown(socket.SHUT_WR)
t = threading.Thread(target=send); t.start()
with open(sys.argv[4], "wb") as f:
    while True:
        d = s.recv(1 << 16)
        if not d: break
        f.write(d)
t.join()
PY
    wait "$server_pid" || return 1
    cmp -s "$work/xfer.bin" "$work/xfer.back" || return 1
    echo "$(( ($(now_ms) - t0) / 1000 )).$(( ($(now_ms) - t0) % 1000 / 100 ))"
}
