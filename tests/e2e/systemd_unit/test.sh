#!/bin/sh
# Checks systemd/vpnsed.service with systemd-analyze verify. verify exits 0 even on many parse errors
# and only prints them, so ANY output is a failure. The unit's ExecStart is pointed at the built binary
# (verify checks that it exists and is executable).
set -eu
: "${VPNSE_SOURCE_DIR:=$(cd "$(dirname "$0")/../../.." && pwd)}"
: "${VPNSE_BUILD_DIR:=$VPNSE_SOURCE_DIR/build}"
binary="$VPNSE_BUILD_DIR/daemon/vpnsed"

# shellcheck source=../../support/skip.sh
. "$VPNSE_SOURCE_DIR/tests/support/skip.sh"
if ! command -v systemd-analyze >/dev/null 2>&1; then
    skip_or_fail "systemd_unit: systemd-analyze not installed (package systemd)"
fi
if [ ! -x "$binary" ]; then
    echo "FAIL: $binary not built"
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|^ExecStart=.*|ExecStart=$binary|" "$VPNSE_SOURCE_DIR/systemd/vpnsed.service" > "$work/vpnsed.service"

output=$(cd "$work" && SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no "$work/vpnsed.service" 2>&1) || {
    echo "$output"
    echo "FAIL: systemd-analyze verify exited non-zero"
    exit 1
}
if [ -n "$output" ]; then
    echo "$output"
    echo "FAIL: systemd-analyze verify printed diagnostics"
    exit 1
fi
echo "PASS: systemd/vpnsed.service verifies cleanly"
