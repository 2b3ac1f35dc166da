# shellcheck shell=bash
# The common start of the vpnsed e2e scenarios (tests/e2e/{daemon,many_tunnels,default_layout}): source
# it from test.sh with the scenario's name. It sets root, VPNSE_BUILD_DIR and fixture, brings in the
# daemon harness, the skip rule and unique fixture names, and checks the preconditions (root, the real
# SoftEther server). The scenario sets `work` before calling fail.
#
#   . "$(dirname "$0")/../../support/e2e-daemon.sh" NAME
#   step TEXT      a heading in the test's output
#   fail TEXT      FAIL with the tail of $work/vpnsed.log, exit 1
e2e_scenario=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VPNSE_BUILD_DIR=${VPNSE_BUILD_DIR:-$root/build}
fixture=$root/tests/support/se-fixture
# shellcheck source=daemon-harness.sh
. "$root/tests/support/daemon-harness.sh"
# shellcheck source=skip.sh
. "$root/tests/support/skip.sh"
# shellcheck source=names.sh
. "$root/tests/support/names.sh"

if [ "$(id -u)" -ne 0 ]; then skip_or_fail "$e2e_scenario: needs root"; fi
if [ ! -x /usr/libexec/softether/vpnserver/vpnserver ]; then
    skip_or_fail "$e2e_scenario: needs softether-vpnserver (/usr/libexec/softether/vpnserver/vpnserver)"
fi

fail() {
    echo "FAIL: $*" >&2
    echo "--- vpnsed log" >&2
    tail -n 60 "$work/vpnsed.log" >&2 || true
    exit 1
}
step() { echo "== $*"; }

# What the scenario created, so that its cleanup can prove it all went: the fixtures it brought up (their
# namespaces hold the TUNs, veths and servers) and the processes it started.
e2e_fixtures=()
e2e_pids=()
e2e_fixture_up() { # NAME ARGS... (as se-fixture up; prints the env file)
    e2e_fixtures+=("$1")
    "$fixture" up "$@"
}
e2e_daemon_start() { # as daemon_start
    daemon_start "$@" || return
    e2e_pids+=("$DAEMON_PID")
}
e2e_track_pid() { e2e_pids+=("$@"); }

# Call last in the cleanup trap: a leftover namespace or process fails the test, naming it.
e2e_verify_clean() {
    local leftovers=() name pid
    for name in "${e2e_fixtures[@]}"; do
        for ns in "vse-s-$name" "vse-c-$name"; do
            ip netns list | grep -w -- "$ns" >/dev/null && leftovers+=("netns $ns")
        done
    done
    for pid in "${e2e_pids[@]}"; do
        if [ -e "/proc/$pid" ] && ! grep -q ') Z' "/proc/$pid/stat" 2>/dev/null; then
            leftovers+=("pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null))")
        fi
    done
    [ ${#leftovers[@]} -eq 0 ] && return 0
    echo "FAIL: left behind after cleanup: ${leftovers[*]}" >&2
    return 1
}
