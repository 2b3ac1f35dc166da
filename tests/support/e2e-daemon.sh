# shellcheck shell=bash
# The common start of the vpnsed e2e scenarios (tests/e2e/{daemon,many_tunnels,default_layout}): source
# it from test.sh with the scenario's name. It sets root, VPNSE_BUILD_DIR and fixture, brings in the
# daemon harness, the skip rule, unique fixture names and INTERPRETER_ENV (interpreter-env.sh), and checks
# the preconditions (root, the real SoftEther server). The scenario sets `work` before calling fail.
#
#   . "$(dirname "$0")/../../support/e2e-daemon.sh" NAME
#   step TEXT      a heading in the test's output
#   fail TEXT      FAIL with the tail of $work/vpnsed.log, exit 1
#   e2e_daemon_stop_clean   stop vpnsed; FAIL if it had died or a sanitizer reported anything
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
# shellcheck source=leftovers.sh
. "$root/tests/support/leftovers.sh"
# shellcheck source=interpreter-env.sh
. "$root/tests/support/interpreter-env.sh"

if [ "$(id -u)" -ne 0 ]; then skip_or_fail "$e2e_scenario: needs root"; fi
if [ ! -x /usr/libexec/softether/vpnserver/vpnserver ]; then
    skip_or_fail "$e2e_scenario: needs softether-vpnserver (/usr/libexec/softether/vpnserver/vpnserver)"
fi

# As daemon_start, and the daemon is checked gone at the end (leftovers.sh).
e2e_daemon_start() {
    daemon_start "$@" || return
    track_pid "$DAEMON_PID"
}

# Stops the daemon and fails if it died before, or if a sanitizer build reported anything (leaks at exit
# included) in its log. Under ctest a sanitizer build's reports go to files instead, which the test's
# launcher checks for every process (sanitizer-reports.sh); this catches them when test.sh runs by hand.
e2e_daemon_stop_clean() {
    kill -0 "$DAEMON_PID" 2>/dev/null || fail "vpnsed died"
    daemon_stop
    if grep -E >/dev/null "AddressSanitizer|LeakSanitizer|runtime error" "$work/vpnsed.log"; then
        fail "sanitizer report in the vpnsed log"
    fi
}

fail() {
    echo "FAIL: $*" >&2
    echo "--- vpnsed log" >&2
    tail -n 60 "$work/vpnsed.log" >&2 || true
    exit 1
}
step() { echo "== $*"; }

