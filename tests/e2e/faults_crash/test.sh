#!/usr/bin/env bash
# vpnsed killed (SIGKILL) at each step of a tunnel's life, then restarted: nothing stale may remain; and a
# read-only and a full state_dir (topology and checks: README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" faults_crash
# shellcheck source=../../support/faults.sh
. "$root/tests/support/faults.sh"

a=''; unique_fixture_name a fK  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-faults-crash.XXXXXX)
server_stopped=
ks_kept=''
cleanup() {
    set +e
    [ -n "$server_stopped" ] && kill -CONT "$SERVER_PID" 2>/dev/null
    daemon_stop
    "$fixture" down "$a" >/dev/null 2>&1
    umount "$work/state" 2>/dev/null
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

tracked_fixture_up "$a" auto > "$work/a.env"
# shellcheck disable=SC1090
. "$work/a.env"
ns=$CLIENT_NS
report() { echo "   RESULT $*"; }
# The most the host can carry: a full tunnel with the kill switch (nft table) and DNS (resolv.conf).
daemon_profile "$work" office "$work/a.env" $'[network]\nroutes = "full"\nkill_switch = true'
e2e_daemon_start "$work" "$ns"
clean=$(host_snapshot)

# The server process frozen: TCP still connects (the kernel answers) but nothing more comes back.
freeze_server() { kill -STOP "$SERVER_PID"; server_stopped=1; }
thaw_server() { kill -CONT "$SERVER_PID"; server_stopped=; }

# kill_restart_check POINT: SIGKILL vpnsed now, restart it, and require the host as before the connect.
kill_restart_check() {
    local point=$1 t0
    kill -KILL "$DAEMON_PID"
    wait "$DAEMON_PID" 2>/dev/null || true
    DAEMON_PID=
    [ -n "$server_stopped" ] && thaw_server
    rm -f "$DAEMON_SOCKET"
    t0=$(now_ms)
    cp "$work/vpnsed.log" "$work/vpnsed.$point.log"
    e2e_daemon_start "$work" "$ns" || fail "restart after the kill while $point"
    # The kill switch is fail-closed: it outlives the crash on purpose, until an explicit disconnect.
    if ip netns exec "$ns" nft list tables | grep >/dev/null vpnse_office; then
        # The restarted daemon never ran this tunnel; its explicit disconnect still lifts the kill switch.
        ctl disconnect office >/dev/null || fail "disconnect after the restart (to lift the kill switch)"
        ks_kept+=" $point"
    fi
    wait_until 10 host_is "$clean" ||
        { diff <(echo "$clean") <(host_snapshot) >&2 || true; fail "stale state after SIGKILL while $point"; }
    ctl list >/dev/null || fail "the restarted daemon does not serve"
    report "SIGKILL while $point: restarted and clean after $(($(now_ms) - t0)) ms"
}

step "SIGKILL while connecting"
freeze_server
ctl connect office --no-wait >/dev/null || fail "connect --no-wait"
wait_until 10 state_is office connecting || fail "not connecting ($(tunnel_field office state))"
sleep 0.5
kill_restart_check connecting

step "SIGKILL while configuring (logged in, waiting for the hub's DHCP)"
"$fixture" vpncmd "$a" DhcpDisable >/dev/null || fail "DhcpDisable"
ctl connect office --no-wait >/dev/null || fail "connect --no-wait"
wait_until 20 state_is office configuring || fail "not configuring ($(tunnel_field office state))"
sleep 0.5
"$fixture" vpncmd "$a" DhcpEnable >/dev/null || fail "DhcpEnable"
kill_restart_check configuring

step "SIGKILL while established"
ctl connect office >/dev/null || fail "connect"
ip netns exec "$ns" ip link show vse-office >/dev/null || fail "no TUN while established"
ip netns exec "$ns" nft list tables | grep >/dev/null vpnse || fail "no kill switch table while established"
kill_restart_check established

step "SIGKILL while disconnecting"
# vpnsed has no "disconnecting" state: the host is taken back in one turn of its event loop right
# after the request arrives. The kill follows the request as closely as a shell can.
ctl connect office >/dev/null || fail "connect"
ctl disconnect office >/dev/null 2>&1 &
disconnect_pid=$!
sleep 0.02
kill_restart_check disconnecting
wait "$disconnect_pid" 2>/dev/null || true

report "the kill switch stayed (fail-closed) until the explicit disconnect after:${ks_kept:- none}"

step "a read-only state_dir: a clear error at connect, no crash"
daemon_stop
{ mount --bind "$work/state" "$work/state" && mount -o bind,remount,ro "$work/state"; } || fail "read-only bind mount"
e2e_daemon_start "$work" "$ns" || fail "vpnsed does not start with a read-only state_dir"
rc=0; out=$(ctl connect office --timeout 30 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "connect should fail with a read-only state_dir"
echo "$out" | grep -iE >/dev/null "read-only|permission|state" || fail "unclear error: $out"
report "read-only state_dir: connect fails (rc $rc): $out"
kill -0 "$DAEMON_PID" || fail "vpnsed died"
wait_until 10 host_is "$clean" ||
    { diff <(echo "$clean") <(host_snapshot) >&2 || true; fail "stale state after the refused connect"; }
daemon_stop
umount "$work/state"

step "a full state_dir: a clear error at connect, no crash"
mount -t tmpfs -o size=64k,mode=0700 vse-full "$work/state" || fail "tmpfs on state_dir"
dd if=/dev/zero of="$work/state/filler" bs=4k count=64 status=none 2>/dev/null || true
e2e_daemon_start "$work" "$ns" || fail "vpnsed does not start with a full state_dir"
rc=0; out=$(ctl connect office --timeout 30 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "connect should fail with a full state_dir"
echo "$out" | grep -iE >/dev/null "no space|full" || fail "unclear error: $out"
report "full state_dir: connect fails (rc $rc): $out"
kill -0 "$DAEMON_PID" || fail "vpnsed died"
wait_until 10 host_is "$clean" ||
    { diff <(echo "$clean") <(host_snapshot) >&2 || true; fail "stale state after the refused connect"; }
e2e_daemon_stop_clean
umount "$work/state"
echo "PASS faults_crash"
