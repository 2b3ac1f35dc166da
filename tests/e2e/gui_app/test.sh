#!/usr/bin/env bash
# vpnse-gui's real window under Xvfb against the real vpnsed and SoftEther server (README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" gui_app
driver=$VPNSE_BUILD_DIR/tests/gui/gui_app_driver
[ -x "$driver" ] || skip_or_fail "gui_app: needs $driver (VPNSE_BUILD_GUI, Qt 6 from scripts/deps)"
command -v xvfb-run >/dev/null || skip_or_fail "gui_app: needs xvfb-run (scripts/deps)"
artifacts=$VPNSE_BUILD_DIR/artifacts
mkdir -p "$artifacts"

name=''; unique_fixture_name name ga  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-guiapp.XXXXXX)
driver_pid=''
cleanup() {
    set +e
    # The whole group: killing xvfb-run alone leaves its Xvfb running.
    [ -n "$driver_pid" ] && kill -- -"$driver_pid" 2>/dev/null && wait "$driver_pid" 2>/dev/null
    daemon_stop
    "$fixture" down "$name" >/dev/null 2>&1
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

tracked_fixture_up "$name" auto > "$work/fixture.env"
# shellcheck disable=SC1090
. "$work/fixture.env"
daemon_profile "$work" office "$work/fixture.env"
daemon_profile "$work" wrongpass "$work/fixture.env"
sed -i 's/^password = .*/password = "not-the-password"/' "$work/profiles/wrongpass.toml"
e2e_daemon_start "$work" "$CLIENT_NS"
# The socket is a file, so the GUI runs in the host's namespace like a desktop app; nobody must reach it.
chmod 0755 "$work"

# run_driver OUT COMMAND...: the driver command on a fresh Xvfb display, in the background; its output in $work/OUT.
# shellcheck disable=SC2317  # called through xvfb-run's shell below
run_driver() {
    local out=$1
    shift
    # setsid: its own process group (xvfb-run, Xvfb, the driver), which cleanup can end as one.
    QT_QPA_PLATFORM=xcb NO_AT_BRIDGE=1 setsid xvfb-run -a -s "-screen 0 1280x800x24" \
        "$@" > "$work/$out" 2> "$work/$out.err" &
    driver_pid=$!
}
shown() { sed -n "s|^$1=||p" "$work/$2" | tail -n 1; }
# A field of office's tunnel as vpnsectl status --json reports it.
tunnel_field() {
    ctl status office --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["tunnels"][0][sys.argv[1]])' "$1"
}

step "connect office by clicking its switch; the shown address is vpnsectl's"
run_driver connect.out "$driver" --socket "$DAEMON_SOCKET" --profile office --bad-profile wrongpass \
    --screenshots "$work" --scenario connect --hold-file "$work/hold"
for _ in $(seq 1 900); do
    grep -q '^holding=' "$work/connect.out" 2>/dev/null && break
    kill -0 "$driver_pid" 2>/dev/null || break
    sleep 0.1
done
grep -q '^holding=' "$work/connect.out" || fail "the window never showed office connected: $(cat "$work/connect.out" "$work/connect.out.err")"
cat "$work/connect.out"
want=$(tunnel_field address)/$(tunnel_field prefix_length)
got=$(shown detail/address connect.out)
[ "$got" = "$want" ] || fail "the window shows address '$got', vpnsectl status says '$want'"
grep -q "^state=Connected — ${want%/*}$" "$work/connect.out" || fail "the row does not say Connected with the address"
[ "$(shown detail/server_version connect.out)" != "—" ] || fail "no server version shown"
[ "$(shown log-established connect.out)" = 1 ] || fail "the log view does not show the tunnel coming up"
[ "$(shown log-info-at-error connect.out)" = 0 ] || fail "the log's level filter (error) still shows info lines"
[ "$(shown log-info-at-info connect.out)" -gt 0 ] || fail "the log's level filter (info) shows no info lines"
# Traffic through the tunnel for the graph in the screenshot the driver takes next.
ip netns exec "$CLIENT_NS" iperf3 -c "$BRIDGE_HOST_IP" -R -b 40M -t 7 > "$work/iperf.out" 2>&1 ||
    fail "iperf3: $(cat "$work/iperf.out")"
sleep 2
touch "$work/hold"
wait "$driver_pid" || fail "driver: $(cat "$work/connect.out.err")"
driver_pid=''
cat "$work/connect.out"
[ "$(shown state connect.out)" = Disconnected ] || fail "the switch did not disconnect office"
[ "$(tunnel_field state)" = disconnected ] || fail "vpnsed still has office up"
grep -q '^bad-error=.*[Aa]uthentication failed' "$work/connect.out" || fail "the wrong password's error is not shown in words"
cp "$work/gui-connected.png" "$work/gui-error.png" "$artifacts/"

step "a user outside the daemon's group (root here; nobody): the window says to join the group"
mkdir -p "$work/nobody" && chown nobody "$work/nobody"
# xvfb-run's cookie file is root's (0600): nobody gets its own copy.
# shellcheck disable=SC2016  # expanded by the inner shell
run_driver denied.out sh -c 'cp "$XAUTHORITY" "$1/xauth" && chown nobody "$1/xauth" && shift &&
    exec runuser -u nobody -- env XAUTHORITY="$0/xauth" HOME="$0" XDG_RUNTIME_DIR="$0" "$@"' \
    "$work/nobody" "$work/nobody" "$driver" --socket "$DAEMON_SOCKET" --profile office \
    --screenshots "$work/nobody" --scenario denied
wait "$driver_pid" || fail "driver as nobody: $(cat "$work/denied.out" "$work/denied.out.err")"
driver_pid=''
cat "$work/denied.out"
grep -q '^permission=.*join group root to connect' "$work/denied.out" || fail "no permission text for nobody"
[ "$(shown switch-enabled-after denied.out)" = 0 ] || fail "the switches stay enabled after the refusal"
[ "$(tunnel_field state)" = disconnected ] || fail "nobody's click connected office"
cp "$work/nobody/gui-permission.png" "$artifacts/"

e2e_daemon_stop_clean
step "pass (screenshots in $artifacts)"
