#!/usr/bin/env bash
# Runs nm_editor_probe under Xvfb and checks what the page stored (tests/gui/CMakeLists.txt).
#   nm_editor.sh PROBE PLUGIN.so SCREENSHOT.png
set -euo pipefail
probe=$1 plugin=$2 screenshot=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../support/skip.sh
. "$root/tests/support/skip.sh"
command -v xvfb-run >/dev/null || skip_or_fail "nm editor: needs xvfb-run (scripts/deps)"
mkdir -p "$(dirname "$screenshot")"
rm -f "$screenshot"
out=$(GSK_RENDERER=cairo GDK_BACKEND=x11 NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1024x768x24" \
    "$probe" "$plugin" "$screenshot")
echo "$out"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { grep -qxF -- "$1" <<< "$out" || fail "expected the line: $1"; }
expect "loaded hub=ACME"
expect "message ''"
expect "data hub=SALES"
expect "data host=vpn.example.com"
expect "data max-connections=4"
expect "data half-connection=yes"
expect "data routes=full"
expect "data reconnect-delay-ms=5000"
expect "data verify=fingerprint"
expect "data fingerprint=$(printf 'a%.0s' $(seq 64))"
expect "secret password=s3cret"
expect "password-flags 1"   # agent-owned: never written to the keyfile
expect "message 'vpn.data: host: is required'"
expect "refused: vpn.data: host: is required"
grep -q "^changes [1-9]" <<< "$out" || fail "the editor never said it changed"
grep -q "^data ca-file=" <<< "$out" && fail "ca-file stored although verify is fingerprint"
[ -s "$screenshot" ] || fail "no screenshot at $screenshot"
echo "screenshot: $screenshot"
