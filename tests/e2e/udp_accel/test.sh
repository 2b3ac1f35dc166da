#!/usr/bin/env bash
# UDP acceleration through vpnsed against the real server (topology: README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" udp_accel
command -v nft >/dev/null || skip_or_fail "udp_accel: needs nft"

a=''; unique_fixture_name a uA  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-udp.XXXXXX)
sink_pids=()
cleanup() {
    set +e
    daemon_stop
    for p in "${sink_pids[@]}"; do kill "$p" 2>/dev/null; done
    [ -n "${ns:-}" ] && ip netns exec "$ns" nft delete table inet vse_udp_test 2>/dev/null
    "$fixture" down "$a" >/dev/null 2>&1
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

tracked_fixture_up "$a" auto > "$work/a.env"
# shellcheck disable=SC1090
. "$work/a.env"
ns=$CLIENT_NS
daemon_profile "$work" udp "$work/a.env" $'[session]\nudp_acceleration = true\n\n[network]\ndns = false\nipv6 = false'
# The same server by an IPv6 address on the fixture's veth (added by the last step), default settings.
server6="fd77:250:$INDEX::1"
sed "s/^SERVER_IP=.*/SERVER_IP=$server6/" "$work/a.env" > "$work/a6.env"
daemon_profile "$work" udp6 "$work/a6.env" $'[network]\ndns = false\nipv6 = false'
e2e_daemon_start "$work" "$ns"

profile=udp  # whose status field() reads
field() { ctl --json status "$profile" | python3 -c "import json,sys; print(json.load(sys.stdin)['tunnels'][0]['$1'])"; }
wait_for() {  # wait_for FIELD VALUE SECONDS
    local deadline=$((SECONDS + $3)) now=''
    until now=$(field "$1") && [ "$now" = "$2" ]; do
        kill -0 "$DAEMON_PID" 2>/dev/null || fail "vpnsed died waiting for $1 = $2"
        [ "$SECONDS" -lt "$deadline" ] || fail "$1 is '$now', not '$2', after $3 s"
        sleep 0.2
    done
}

# serve PORT FILE [RATE]: the bridged host sends FILE to whoever connects (RATE bytes/s if given).
serve() {
    ip netns exec "$SERVER_NS" python3 - "$BRIDGE_HOST_IP" "$1" "$2" "${3:-0}" <<'PY' &
import socket, sys, time
host, port, path, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, port)); srv.listen(1); srv.settimeout(60)
c, _ = srv.accept(); c.settimeout(60)
data = open(path, "rb").read()
if rate == 0:
    c.sendall(data)
else:
    chunk, start = 1 << 16, time.monotonic()
    for off in range(0, len(data), chunk):
        c.sendall(data[off:off + chunk])
        ahead = (off + chunk) / rate - (time.monotonic() - start)
        if ahead > 0: time.sleep(ahead)
c.close()
PY
    sink_pids+=($!)
    track_pid "$!"
    for _ in $(seq 1 50); do
        ip netns exec "$SERVER_NS" ss -ltn | grep >/dev/null ":$1 " && return 0
        sleep 0.1
    done
    fail "the sender on port $1 did not listen"
}
# fetch PORT OUT: receive from the bridged host through the tunnel.
fetch() {
    ip netns exec "$ns" python3 - "$BRIDGE_HOST_IP" "$1" "$2" <<'PY'
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=60)
with open(sys.argv[3], "wb") as f:
    while True:
        d = s.recv(1 << 16)
        if not d: break
        f.write(d)
PY
}
same() { [ "$(sha256sum < "$1")" = "$(sha256sum < "$2")" ]; }
# download_over_udp MIB PORT MIN_FRAMES: MIB MiB of random bytes from the bridged host arrive intact,
# at least MIN_FRAMES of their frames counted on the UDP path.
download_over_udp() {
    local what="$1 MiB download" frames_before frames
    dd if=/dev/urandom of="$work/dl$2.bin" bs=1M count="$1" status=none
    frames_before=$(field udp_frames_in)
    serve "$2" "$work/dl$2.bin"
    fetch "$2" "$work/dl$2.received" || fail "$what"
    wait "${sink_pids[-1]}" || fail "sender of the $what"
    same "$work/dl$2.bin" "$work/dl$2.received" || fail "$what differs"
    frames=$(( $(field udp_frames_in) - frames_before ))
    [ "$frames" -gt "$3" ] || fail "only $frames frames came over UDP during the $what"
}

step "connect: UDP acceleration negotiated and carrying data once proven (10 s)"
ctl connect udp >/dev/null || fail "connect"
wait_for state established 30
[ "$(field udp_supported)" = True ] || fail "the server did not accept UDP acceleration"
[ "$(field udp_version)" = 2 ] || fail "expected V2 (ChaCha20-Poly1305) from the 5.01 server"
ip netns exec "$ns" ping -c 1 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping through the tunnel"
wait_for data_path udp 25
ctl status udp | grep -E >/dev/null "data path +udp" || fail "vpnsectl status does not show the UDP path: $(ctl status udp)"

step "64 MiB download over UDP, checksum compared"
download_over_udp 64 9201 40000
[ "$(field data_path)" = udp ] || fail "the download knocked the session off UDP"

step "UDP dropped mid-transfer: the transfer completes over TCP"
dd if=/dev/urandom of="$work/paced.bin" bs=1M count=12 status=none
serve 9202 "$work/paced.bin" $((2 * 1024 * 1024))  # 6 s at 2 MiB/s
fetch 9202 "$work/paced.received" &
fetch_pid=$!
track_pid "$fetch_pid"
sleep 1.5
ip netns exec "$ns" nft -f - <<NFT
table inet vse_udp_test {
    chain out { type filter hook output priority 0; ip daddr $SERVER_IP udp dport 40000-44999 drop; }
    chain in { type filter hook input priority 0; ip saddr $SERVER_IP udp sport 40000-44999 drop; }
}
NFT
wait "$fetch_pid" || fail "the paced transfer failed when UDP went away"
wait "${sink_pids[-1]}" || fail "paced sender"
same "$work/paced.bin" "$work/paced.received" || fail "the paced transfer differs"
[ "$(field data_path)" = tcp ] || fail "data path still says udp with UDP dropped"
[ "$(field udp_fallbacks)" -ge 1 ] || fail "no fallback counted"
[ "$(field state)" = established ] || fail "the session did not survive losing UDP"

step "UDP allowed again: back on UDP"
ip netns exec "$ns" nft delete table inet vse_udp_test
wait_for data_path udp 25

step "5 % random loss: an upload and a download arrive intact"
ip netns exec "$ns" nft -f - <<NFT
table inet vse_udp_test {
    chain out { type filter hook output priority 0; ip daddr $SERVER_IP numgen random mod 100 < 5 drop; }
}
NFT
dd if=/dev/urandom of="$work/lossy.bin" bs=1M count=8 status=none
serve 9203 "$work/lossy.bin"
fetch 9203 "$work/lossy.received" || fail "download under 5 % loss"
wait "${sink_pids[-1]}" || fail "lossy sender"
same "$work/lossy.bin" "$work/lossy.received" || fail "download under loss differs"
ip netns exec "$SERVER_NS" python3 - "$BRIDGE_HOST_IP" 9204 "$work/up.received" <<'PY' &
import socket, sys
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((sys.argv[1], int(sys.argv[2]))); srv.listen(1); srv.settimeout(60)
c, _ = srv.accept(); c.settimeout(60)
with open(sys.argv[3], "wb") as f:
    while True:
        d = c.recv(1 << 16)
        if not d: break
        f.write(d)
PY
sink_pids+=($!)
track_pid "$!"
for _ in $(seq 1 50); do
    ip netns exec "$SERVER_NS" ss -ltn | grep >/dev/null ":9204 " && break
    sleep 0.1
done
ip netns exec "$ns" python3 - "$BRIDGE_HOST_IP" 9204 "$work/lossy.bin" <<'PY' || fail "upload under 5 % loss"
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=60)
s.sendall(open(sys.argv[3], "rb").read())
s.shutdown(socket.SHUT_WR)
s.recv(1)
PY
wait "${sink_pids[-1]}" || fail "upload receiver"
same "$work/lossy.bin" "$work/up.received" || fail "upload under loss differs"
ip netns exec "$ns" nft delete table inet vse_udp_test
[ "$(field state)" = established ] || fail "the session did not survive the loss"

ctl disconnect udp >/dev/null || fail "disconnect"

step "over IPv6 (the server's IPv6 address, acceleration on by default): UDP carries a 16 MiB download"
ip netns exec "$SERVER_NS" ip -6 addr add "$server6/64" dev "$SERVER_IF" nodad
ip netns exec "$ns" ip -6 addr add "fd77:250:$INDEX::2/64" dev "$CLIENT_IF" nodad
profile=udp6
ctl connect udp6 >/dev/null || fail "connect over IPv6"
wait_for state established 30
[ "$(field udp_supported)" = True ] || fail "the server did not accept UDP acceleration over IPv6"
wait_for data_path udp 25
grep -E >/dev/null "udp6.session.udp: data over UDP server=$server6:4[0-9]{4}" "$work/vpnsed.log" ||
    fail "the UDP path is not the server's IPv6 address"
download_over_udp 16 9205 10000
ctl disconnect udp6 >/dev/null || fail "disconnect udp6"
e2e_daemon_stop_clean
echo "PASS udp_accel"
