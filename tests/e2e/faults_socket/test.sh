#!/usr/bin/env bash
# Control-socket abuse (README.md beside this file): over-long lines, deep nesting, invalid UTF-8, many idle
# connections and a subscriber that never reads; vpnsed must keep answering other clients, bounded in memory.
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" faults_socket

a=''; unique_fixture_name a fX  # tests/support/names.sh: only the client namespace is used
ns=vse-c-$a
work=$(mktemp -d /tmp/vpnse-e2e-faults-socket.XXXXXX)
cleanup() {
    set +e
    daemon_stop
    ip netns del "$ns" 2>/dev/null
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT
ip netns add "$ns"
track_netns "$ns"
e2e_daemon_start "$work" "$ns"

step "abuse the control socket"
python3 "$(dirname "$0")/abuse.py" "$DAEMON_SOCKET" "$DAEMON_PID" || fail "control-socket abuse (see above)"
kill -0 "$DAEMON_PID" 2>/dev/null || fail "vpnsed died"
e2e_daemon_stop_clean
echo "PASS faults_socket"
