#!/usr/bin/env bash
# vpnsed + vpnsectl end to end (topology: README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" daemon

a=''; unique_fixture_name a dA  # tests/support/names.sh
b=''; unique_fixture_name b dB  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-daemon.XXXXXX)
sink_pids=()
cleanup() {
    set +e
    daemon_stop
    for p in "${sink_pids[@]}"; do kill "$p" 2>/dev/null; done
    "$fixture" down "$b" >/dev/null 2>&1
    "$fixture" down "$a" >/dev/null 2>&1
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

tracked_fixture_up "$a" auto > "$work/a.env"
tracked_fixture_up "$b" auto --client-ns "vse-c-$a" > "$work/b.env"
# shellcheck disable=SC1090
. "$work/a.env"
ns=$CLIENT_NS
A_GATEWAY=$VPN_GATEWAY A_BRIDGE=$BRIDGE_HOST_IP A_SERVER_NS=$SERVER_NS A_SERVER_IP=$SERVER_IP
B_BRIDGE=$(. "$work/b.env"; echo "$BRIDGE_HOST_IP")

daemon_profile "$work" office "$work/a.env" $'[session]\nmax_connections = 4'
daemon_profile "$work" second "$work/b.env"
daemon_profile "$work" badpass "$work/a.env"
sed -i 's/^password = .*/password = "wrong-password"/' "$work/profiles/badpass.toml"
daemon_profile "$work" badhub "$work/a.env"
sed -i 's/^hub = .*/hub = "NOSUCHHUB"/' "$work/profiles/badhub.toml"
daemon_profile "$work" unreachable "$work/a.env"
sed -i 's/^host = .*/host = "10.250.254.1"/' "$work/profiles/unreachable.toml"
daemon_profile "$work" full "$work/a.env" $'[network]\nroutes = "full"'
daemon_profile "$work" guarded "$work/a.env" $'[network]\nroutes = "full"\nkill_switch = true'

snapshot() {
    ip netns exec "$ns" sh -c 'ip route show table all; ip -6 route show table all; ip rule; ip -6 rule' |
        grep -v 'fe80::' | sort
}
before=$(snapshot)

e2e_daemon_start "$work" "$ns"

# /etc/resolv.conf as the daemon sees it (its private mount namespace, /etc an overlay over the host's).
daemon_resolv() { nsenter -t "$DAEMON_PID" -m cat /etc/resolv.conf; }
daemon_resolv > "$work/resolv.before" ||
    fail "no /etc/resolv.conf in the daemon's namespace before connecting: its restore cannot be checked"

# check_status FILE [BEFORE_FILE]: parses `status --json` of office and checks its fields: established, the
# address inside the fixture's DHCP pool and not the gateway, gateway/DNS from the fixture, TLS records on
# libcrypto; with BEFORE_FILE: every counter grew, and by at least the 32 MiB each way of the bulk transfer.
check_status() {
    python3 - "$1" "${2:-}" "$DHCP_POOL_START" "$DHCP_POOL_END" "$A_GATEWAY" "$DNS" <<'PY'
import ipaddress, json, sys
path, before_path, pool_start, pool_end, gateway, dns = sys.argv[1:7]
def office(p):
    doc = json.load(open(p))
    tunnels = [t for t in doc["tunnels"] if t["name"] == "office"]
    assert len(tunnels) == 1, f"one tunnel 'office' expected in {doc}"
    return tunnels[0]
t = office(path)
print("   status:", {k: t.get(k) for k in ("state", "address", "gateway", "dns", "connections", "bytes_in",
                                         "bytes_out", "packets_in", "packets_out", "tls")})
assert t["state"] == "established", t["state"]
address = ipaddress.ip_address(t["address"])
assert ipaddress.ip_address(pool_start) <= address <= ipaddress.ip_address(pool_end), \
    f"address {address} outside the DHCP pool {pool_start}-{pool_end}"
assert address != ipaddress.ip_address(gateway), f"address {address} is the gateway"
assert t["prefix_length"] == 24, t["prefix_length"]
assert t["gateway"] == gateway, f"gateway {t['gateway']} != {gateway}"
assert dns in t["dns"], f"DNS {dns} not in {t['dns']}"
assert 1 <= t["connections"] <= 4, t["connections"]
for key in ("bytes_in", "bytes_out", "packets_in", "packets_out"):
    assert isinstance(t[key], int) and t[key] >= 0, (key, t[key])
# The records after the handshake go through libcrypto (tls/aead_records), not mbedTLS.
assert t["tls"].startswith("TLSv1.2") and "(records: libcrypto)" in t["tls"], \
    "TLS records not on the libcrypto path: " + t["tls"]
if before_path:
    b = office(before_path)
    for key in ("bytes_in", "bytes_out", "packets_in", "packets_out"):
        assert t[key] > b[key], f"{key} did not grow: {b[key]} -> {t[key]}"
    for key in ("bytes_in", "bytes_out"):
        assert t[key] - b[key] >= 32 << 20, f"{key} grew by {t[key] - b[key]}, less than the 32 MiB sent"
PY
}

step "connect office"
ctl connect office || fail "vpnsectl connect office"
ctl --json status office > "$work/status.json" || fail "status --json"
check_status "$work/status.json" "" || fail "status --json content"
# The tunnel's DNS is installed while connected: the fixture's DHCP DNS server is a nameserver line.
daemon_resolv > "$work/resolv.connected" || fail "no /etc/resolv.conf in the daemon's namespace while connected"
grep -qx "nameserver $DNS" "$work/resolv.connected" ||
    { cat "$work/resolv.connected" >&2; fail "resolv.conf while connected lacks 'nameserver $DNS' (the tunnel's DNS)"; }
ip netns exec "$ns" ping -c 2 -W 2 "$A_GATEWAY" >/dev/null || fail "ping the SecureNAT gateway through the tunnel"

step "routes removed by someone else come back"
pushed=$PUSHED_ROUTE
ip netns exec "$ns" ip route show "$pushed" | grep >/dev/null vse-office || fail "pushed route $pushed missing"
ip netns exec "$ns" ip route del "$pushed" dev vse-office
for i in $(seq 1 50); do
    ip netns exec "$ns" ip route show "$pushed" | grep >/dev/null vse-office && break
    sleep 0.1
done
ip netns exec "$ns" ip route show "$pushed" | grep >/dev/null vse-office || fail "the deleted route was not put back"

step "the uplink address goes away and comes back: the tunnel logs in again at once"
session_before=$(ctl --json status office | python3 -c 'import json,sys; print(json.load(sys.stdin)["tunnels"][0]["session_name"])')
ip netns exec "$ns" ip addr del "$CLIENT_IP/24" dev "$CLIENT_IF"
ip netns exec "$ns" ip addr add "$CLIENT_IP/24" dev "$CLIENT_IF"
relogged=
for i in $(seq 1 100); do
    now=$(ctl --json status office | python3 -c 'import json,sys; t=json.load(sys.stdin)["tunnels"][0]; print(t["state"], t.get("session_name"))')
    if [ "${now%% *}" = established ] && [ "${now#* }" != "$session_before" ]; then relogged=1; break; fi
    sleep 0.1
done
[ -n "$relogged" ] || fail "no prompt re-login after the uplink address changed (still ${now:-?})"

step "bulk transfer, both directions, checksums compared"
ctl --json status office > "$work/status.before-transfer.json" || fail "status --json before the transfer"
dd if=/dev/urandom of="$work/up.bin" bs=1M count=32 status=none
dd if=/dev/urandom of="$work/down.bin" bs=1M count=32 status=none
ip netns exec "$A_SERVER_NS" python3 - "$A_BRIDGE" "$work/up.received" "$work/down.bin" <<'PY' &
import socket, sys, hashlib
host, received, to_send = sys.argv[1], sys.argv[2], sys.argv[3]
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, 9100)); srv.listen(2); srv.settimeout(60)
c, _ = srv.accept(); c.settimeout(60)
with open(received, "wb") as f:
    while True:
        d = c.recv(1 << 16)
        if not d: break
        f.write(d)
c.close()
c, _ = srv.accept(); c.settimeout(60)
with open(to_send, "rb") as f: c.sendall(f.read())
c.close()
PY
sink_pids+=($!)
track_pid "$!"
for i in $(seq 1 50); do
    ip netns exec "$A_SERVER_NS" ss -ltn | grep >/dev/null ":9100 " && break
    sleep 0.1
done
ip netns exec "$ns" python3 - "$A_BRIDGE" "$work/up.bin" "$work/down.received" <<'PY' || fail "bulk transfer"
import socket, sys
host, to_send, received = sys.argv[1], sys.argv[2], sys.argv[3]
s = socket.create_connection((host, 9100), timeout=60)
with open(to_send, "rb") as f: s.sendall(f.read())
s.shutdown(socket.SHUT_WR); s.recv(1); s.close()
s = socket.create_connection((host, 9100), timeout=60)
with open(received, "wb") as f:
    while True:
        d = s.recv(1 << 16)
        if not d: break
        f.write(d)
PY
wait "${sink_pids[-1]}" || fail "bulk receiver"
[ "$(sha256sum < "$work/up.bin")" = "$(sha256sum < "$work/up.received")" ] || fail "upload checksum differs"
[ "$(sha256sum < "$work/down.bin")" = "$(sha256sum < "$work/down.received")" ] || fail "download checksum differs"
ctl --json status office > "$work/status.after.json" || fail "status --json after the transfer"
check_status "$work/status.after.json" "$work/status.before-transfer.json" || fail "status --json after the transfer"
python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["tunnels"][0]["connections"] != 4)' \
    "$work/status.after.json" || fail "office should run 4 TCP connections"

step "errors carry the server's reason, and the daemon keeps serving"
expect_failure() {
    local name=$1 pattern=$2 out rc=0
    out=$(ctl connect "$name" --timeout 30 2>&1) || rc=$?
    [ "$rc" -ne 0 ] || fail "connect $name should fail"
    echo "$out" | grep -i >/dev/null -- "$pattern" || fail "connect $name: expected '$pattern' in: $out"
    echo "   $name -> rc $rc: $out"
}
expect_failure badpass "authentication failed for user alice on hub TEST"
expect_failure badhub "NOSUCHHUB"
expect_failure unreachable "10.250.254.1"
ctl status office | grep >/dev/null established || fail "office should still be up"

step "an unprivileged user can read but not connect"
nobody() { ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$VPNSE_BUILD_DIR/ctl/vpnsectl" --socket "$DAEMON_SOCKET" "$@"; }
chmod 0755 "$work"
nobody status office >/dev/null || fail "nobody should read status"
rc=0; nobody disconnect office >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 4 ] || fail "nobody disconnect should exit 4 (got $rc)"
ctl status office | grep >/dev/null established || fail "office must survive the denied disconnect"

step "two tunnels to two servers at once"
ctl connect second || fail "connect second"
ip netns exec "$ns" ping -c 2 -W 2 "$A_BRIDGE" >/dev/null || fail "ping through office"
ip netns exec "$ns" ping -c 2 -W 2 "$B_BRIDGE" >/dev/null || fail "ping through second"

step "disconnect restores the host"
ctl disconnect --all || fail "disconnect --all"
for i in $(seq 1 50); do
    [ "$(snapshot)" = "$before" ] && break
    sleep 0.1
done
[ "$(snapshot)" = "$before" ] || { diff <(echo "$before") <(snapshot) >&2 || true; fail "routes/rules differ after disconnect"; }
# disconnect returns before the DNS is handed back; wait (bounded) for the exact original.
for i in $(seq 1 50); do
    daemon_resolv > "$work/resolv.after" 2>/dev/null && cmp -s "$work/resolv.before" "$work/resolv.after" && break
    sleep 0.1
done
daemon_resolv > "$work/resolv.after" || fail "/etc/resolv.conf missing after disconnect (was there before)"
cmp -s "$work/resolv.before" "$work/resolv.after" ||
    { diff "$work/resolv.before" "$work/resolv.after" >&2 || true; fail "resolv.conf not restored exactly after disconnect"; }

step "full tunnel: outside traffic into the TUN, server traffic past it"
ctl connect full || fail "connect full"
ip netns exec "$ns" ip route get 198.51.100.7 | grep >/dev/null "dev vse-full" || fail "outside address not routed into the TUN"
ip netns exec "$ns" ip route get "$A_SERVER_IP" mark 0x7673 | grep >/dev/null "dev vse-c" || fail "server traffic would loop"
ip netns exec "$ns" ping -c 2 -W 2 "$A_GATEWAY" >/dev/null || fail "ping through the full tunnel"
ip netns exec "$ns" ip rule del not fwmark 0x7673 table 0x7673
for i in $(seq 1 50); do
    ip netns exec "$ns" ip rule | grep >/dev/null "not from all fwmark 0x7673" && break
    sleep 0.1
done
ip netns exec "$ns" ip rule | grep >/dev/null "not from all fwmark 0x7673" || fail "the deleted rule was not put back"

step "SIGKILL the daemon with a full tunnel up, restart: nothing stale remains"
# The premise, checked before the kill: the tunnel is up with its rules in place.
for i in $(seq 1 50); do
    ctl status full | grep >/dev/null "^full: established" && ip netns exec "$ns" ip rule | grep >/dev/null 0x7673 && break
    sleep 0.1
done
rules_before_kill=$(ip netns exec "$ns" ip rule; ctl status full 2>&1 || true)
kill -KILL "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null || true; DAEMON_PID=
ip netns exec "$ns" ip rule | grep >/dev/null 0x7673 || {
    printf '%s\n--- after the kill:\n' "$rules_before_kill" >&2
    ip netns exec "$ns" ip rule >&2
    fail "expected the full-tunnel rules to outlive the killed daemon"
}
rm -f "$DAEMON_SOCKET"
e2e_daemon_start "$work" "$ns"
for i in $(seq 1 50); do
    [ "$(snapshot)" = "$before" ] && break
    sleep 0.1
done
[ "$(snapshot)" = "$before" ] || { diff <(echo "$before") <(snapshot) >&2 || true; fail "stale routes/rules after restart"; }
ctl list >/dev/null || fail "restarted daemon should serve"

step "kill switch: with the session down, nothing leaves except to the server"
B_SERVER_IP=$(. "$work/b.env"; echo "$SERVER_IP")
# Marked packets bypass the tunnel's routing table, so they would leave by the uplink unless blocked.
ip netns exec "$ns" ping -c 1 -W 2 -m 30323 "$B_SERVER_IP" >/dev/null || fail "uplink should work before"
ctl connect guarded || fail "connect guarded"
"$fixture" stop-server "$a" >/dev/null
for i in $(seq 1 100); do
    ctl status guarded | grep -E >/dev/null "reconnecting|connecting" && break
    sleep 0.2
done
ctl status guarded | grep -E >/dev/null "reconnecting|connecting" || fail "guarded should be reconnecting"
if ip netns exec "$ns" ping -c 1 -W 2 -m 30323 "$B_SERVER_IP" >/dev/null 2>&1; then
    fail "a packet left past the kill switch"
fi
ctl disconnect guarded || fail "disconnect guarded"
for i in $(seq 1 50); do
    ip netns exec "$ns" ping -c 1 -W 1 -m 30323 "$B_SERVER_IP" >/dev/null 2>&1 && break
done
ip netns exec "$ns" ping -c 1 -W 2 -m 30323 "$B_SERVER_IP" >/dev/null || fail "explicit disconnect should lift the kill switch"
"$fixture" start-server "$a" >/dev/null
daemon_stop

echo "PASS daemon"
