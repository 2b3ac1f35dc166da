#!/usr/bin/env bash
# Faults on the session itself (topology and checks: README.md beside this file): vpnsed suspended past
# the keep-alive time-out, the session killed by the hub's admin, the password changed and the hub deleted
# while connected.
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" faults_session
# shellcheck source=../../support/faults.sh
. "$root/tests/support/faults.sh"

a=''; unique_fixture_name a fS  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-faults-session.XXXXXX)
cleanup() {
    set +e
    [ -n "${DAEMON_PID:-}" ] && kill -CONT "$DAEMON_PID" 2>/dev/null
    daemon_stop
    "$fixture" down "$a" >/dev/null 2>&1
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

tracked_fixture_up "$a" auto > "$work/a.env"
# shellcheck disable=SC1090
. "$work/a.env"
ns=$CLIENT_NS
daemon_profile "$work" office "$work/a.env" $'[reconnect]\ninitial_delay_ms = 200\nmax_delay_ms = 2000'
e2e_daemon_start "$work" "$ns"
hub() { "$fixture" vpncmd "$a" "$@" >/dev/null; }
report() { echo "   RESULT $*"; }

before_connect=$(host_snapshot)
step "connect"
ctl connect office >/dev/null || fail "connect office"
established=$(host_snapshot)

step "suspend: vpnsed stopped for 2x the keep-alive time-out, then continued"
# The hub's time-out (the welcome's "timeout") is 20 s on this server: stop for 40 s.
keepalive_s=20
session_before=$(tunnel_field office session_name)
kill -STOP "$DAEMON_PID"
sleep $((2 * keepalive_s))
t0=$(now_ms)
kill -CONT "$DAEMON_PID"
relogged() { [ "$(tunnel_field office state)" = established ] &&
    [ "$(tunnel_field office session_name)" != "$session_before" ]; }
wait_until 60 relogged || fail "no new session after the resume (state $(tunnel_field office state))"
report "suspend/resume: new session established $(($(now_ms) - t0)) ms after SIGCONT"
ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping through the tunnel after the resume"
[ "$(host_snapshot)" = "$established" ] ||
    { diff <(echo "$established") <(host_snapshot) >&2 || true; fail "routes/rules/DNS differ after the resume"; }

step "the hub's admin disconnects the session: vpnsed logs in again"
session_before=$(tunnel_field office session_name)
t0=$(now_ms)
"$fixture" kill-connections "$a" "$USER" 2>/dev/null || fail "kill-connections"
wait_until 30 relogged || fail "no new session after SessionDisconnect (state $(tunnel_field office state))"
report "admin SessionDisconnect: new session established $(($(now_ms) - t0)) ms later"
ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping after the admin's disconnect"
[ "$(host_snapshot)" = "$established" ] || fail "routes/rules/DNS differ after the re-login"

step "the server is killed (SIGKILL) and restarted: vpnsed logs in again within its back-off"
session_before=$(tunnel_field office session_name)
t0=$(now_ms)
"$fixture" restart-server "$a" --kill 2>/dev/null || fail "restart-server"
t_up=$(now_ms)
wait_until 60 relogged || fail "no new session after the server restart (state $(tunnel_field office state))"
back_ms=$(($(now_ms) - t_up))
report "server SIGKILLed and restarted ($((t_up - t0)) ms): new session established $back_ms ms after it was back (max back-off 2000 ms)"
# At most one back-off (2 s) after the server is back, plus the login and the DHCP lease.
((back_ms < 6000)) || fail "the re-login took $back_ms ms after the server was back: longer than the back-off allows"
secs=$(echo_transfer 8) || fail "an 8 MiB echo through the tunnel after the server restart"
report "after the server restart: an 8 MiB echo each way intact in $secs s"
wait_until 10 host_is "$established" || fail "routes/rules/DNS differ after the server restart"

# stops_with ERROR: the tunnel ends disconnected with ERROR, and no further attempt follows.
stops_with() {
    local want=$1 t0 attempts
    t0=$(now_ms)
    wait_state office disconnected 30 || fail "the tunnel did not stop (state $(tunnel_field office state))"
    [ "$(tunnel_field office last_error)" = "$want" ] ||
        fail "expected $want, got '$(tunnel_field office last_error)'"
    attempts=$(count_log 'reconnecting')
    sleep 3
    [ "$(count_log 'reconnecting')" = "$attempts" ] || fail "vpnsed kept retrying after $want"
    [ "$(tunnel_field office state)" = disconnected ] || fail "the tunnel left 'disconnected' after $want"
    report "$want: stopped $(($(now_ms) - t0 - 3000)) ms after the session was cut, no retry within 3 s"
}

step "the password changes while connected: the next login fails auth_failed and the tunnel stops"
hub UserPasswordSet "$USER" /PASSWORD:changed-meanwhile || fail "UserPasswordSet"
"$fixture" kill-connections "$a" "$USER" 2>/dev/null || fail "kill-connections"
stops_with auth_failed
wait_until 5 host_is "$before_connect" ||
    { diff <(echo "$before_connect") <(host_snapshot) >&2 || true; fail "host not restored after auth_failed"; }

step "the hub is deleted while connected: hub_not_found, no retry storm"
hub UserPasswordSet "$USER" "/PASSWORD:$PASSWORD" || fail "UserPasswordSet back"
ctl connect office >/dev/null || fail "connect office again"
hub HubDelete "$HUB" || fail "HubDelete"
stops_with hub_not_found

e2e_daemon_stop_clean
echo "PASS faults_session"
