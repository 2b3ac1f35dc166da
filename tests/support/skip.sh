# shellcheck shell=sh
# The one skip rule for shell tests (source this file; POSIX sh). A test whose precondition is missing:
#   - under VPNSE_NO_SKIP=1 (scripts/test: CI, root, after scripts/deps) FAILS, naming what is missing;
#   - otherwise exits 77, which every ctest registration declares as SKIP_RETURN_CODE (reported as skipped).
#
#   skip_or_fail WHY   the whole test cannot run: fail or exit 77 now.
#   skip_part WHY      one part cannot run (e.g. the Java driver): fail now, or remember it and carry on;
#   skip_finish        at the end of the test: exit 77 if any part was skipped (the rest passed).

skip_or_fail() {
    if [ "${VPNSE_NO_SKIP:-0}" = 1 ]; then
        echo "FAIL: $* (VPNSE_NO_SKIP=1: a missing precondition is a failure)" >&2
        exit 1
    fi
    echo "SKIP: $*"
    exit 77
}

skip_part() {
    if [ "${VPNSE_NO_SKIP:-0}" = 1 ]; then
        echo "FAIL: $* (VPNSE_NO_SKIP=1: a missing precondition is a failure)" >&2
        exit 1
    fi
    echo "SKIP (part): $*"
    VPNSE_SKIPPED_PARTS="${VPNSE_SKIPPED_PARTS:-}${VPNSE_SKIPPED_PARTS:+; }$*"
}

skip_finish() {
    if [ -n "${VPNSE_SKIPPED_PARTS:-}" ]; then
        echo "SKIP: passed, but these parts did not run: $VPNSE_SKIPPED_PARTS"
        exit 77
    fi
}
