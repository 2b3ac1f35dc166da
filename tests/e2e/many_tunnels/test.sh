#!/usr/bin/env bash
# Many tunnels to one hub that pushes a route (topology: README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" many_tunnels

a=''; unique_fixture_name a mT  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-many.XXXXXX)
cleanup() {
    set +e
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

for i in $(seq 1 20); do
    daemon_profile "$work" "m$i" "$work/a.env" $'[network]\ndns = false\nipv6 = false'
done

snapshot() {
    ip netns exec "$ns" sh -c 'ip route show table all; ip -6 route show table all; ip rule; ip -6 rule' |
        grep -v 'fe80::' | sort
}
before=$(snapshot)
e2e_daemon_start "$work" "$ns"

state_of() { ctl --json status "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tunnels"][0]["state"])'; }

connect_all() {
    local n=$1 i deadline
    for i in $(seq 1 "$n"); do
        ctl connect "m$i" --no-wait >/dev/null || fail "connect m$i --no-wait"
    done
    deadline=$((SECONDS + 90))
    for i in $(seq 1 "$n"); do
        until [ "$(state_of "m$i")" = established ]; do
            kill -0 "$DAEMON_PID" 2>/dev/null || fail "vpnsed died while $n tunnels came up"
            [ "$SECONDS" -lt "$deadline" ] || fail "m$i not established after 90 s: $(ctl status "m$i" 2>&1)"
            sleep 0.2
        done
    done
}

check_traffic() {
    local n=$1 i routes
    routes=$(ip netns exec "$ns" ip route show "$PUSHED_ROUTE")
    for i in $(seq 1 "$n"); do
        grep >/dev/null "dev vse-m$i " <<<"$routes " || fail "vse-m$i lacks the pushed route $PUSHED_ROUTE: $routes"
    done
    for i in 1 "$n"; do
        ip netns exec "$ns" ping -c 2 -W 2 -I "vse-m$i" "$VPN_GATEWAY" >/dev/null ||
            fail "no ping to the gateway through vse-m$i"
    done
    # Tunnels configured at once take metric slots in the order they finish configuring, not in the
    # order they were asked for: the route with the lowest metric, whichever tunnel holds it, must win.
    local by_metric preferred distinct
    # "METRIC DEV" per route (no metric keyword: 0), lowest metric first.
    by_metric=$(awk '{m = 0; for (f = 1; f < NF; f++) { if ($f == "metric") m = $(f + 1); if ($f == "dev") d = $(f + 1) }
                      print m, d}' <<<"$routes" | sort -n)
    preferred=$(head -n 1 <<<"$by_metric" | cut -d' ' -f2)
    distinct=$(cut -d' ' -f1 <<<"$by_metric" | sort -u | wc -l)
    [ "$distinct" -eq "$n" ] || fail "the $n tunnels' pushed routes should have $n distinct metrics: $routes"
    ip netns exec "$ns" ip route get "${PUSHED_ROUTE%/*}" | grep >/dev/null "dev $preferred " ||
        fail "the pushed route should go through $preferred, the tunnel with the lowest metric: $routes"
    kill -0 "$DAEMON_PID" 2>/dev/null || fail "vpnsed died"
}

disconnect_all() {
    ctl disconnect --all >/dev/null || fail "disconnect --all"
    local i
    for i in $(seq 1 100); do
        [ "$(snapshot)" = "$before" ] && return 0
        sleep 0.1
    done
    diff <(echo "$before") <(snapshot) >&2
    fail "routes/rules differ after disconnect --all"
}

for n in 2 20; do
    step "$n profiles for one hub that pushes $PUSHED_ROUTE, connected at once"
    connect_all "$n"
    check_traffic "$n"
    step "disconnect --all restores the host"
    disconnect_all
done
e2e_daemon_stop_clean
echo "PASS many_tunnels"
