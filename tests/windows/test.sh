#!/usr/bin/env bash
# The Windows port under wine (docs/windows.md): cross-builds it with scripts/build-windows (the target
# libraries from Debian's source packages, cached in build-windows-deps/), runs the cross-compiled unit
# tests under wine64 (ctest -L unit in the Windows build), then runs tests/windows/capi_wine_test.exe
# against vpnse.dll in the SoftEther fixture's client namespace: wine's sockets are the host's, so the
# Windows program reaches the real server there (connect, tunnel configuration, ICMP echo through the
# packet API, disconnect). Every wine process runs in a private WINEPREFIX that is removed at the end.
#   VPNSE_WINDOWS_BUILD_DIR   the Windows build (default: $VPNSE_BUILD_DIR/windows)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
wine=/usr/lib/wine/wine64
wineserver=/usr/lib/wine/wineserver
# shellcheck source=../support/profile-fixture.sh
. "$root/tests/support/profile-fixture.sh"

for tool in x86_64-w64-mingw32-g++-posix "$wine" "$wineserver"; do
    command -v "$tool" >/dev/null ||
        skip_or_fail "windows: $tool missing (packages g++-mingw-w64-x86-64-posix, wine64; scripts/deps)"
done
build=${VPNSE_WINDOWS_BUILD_DIR:-${VPNSE_BUILD_DIR:-$root/build}/windows}

profile_fixture_begin windows wn
export WINEPREFIX=$work/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
stop_wine() {
    "$wineserver" -k >/dev/null 2>&1 || true
    "$wineserver" -w >/dev/null 2>&1 || true
}
trap 'stop_wine; profile_fixture_cleanup' EXIT

echo "== cross build ($build)"
started=$SECONDS
"$root/scripts/build-windows" "$build" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
echo "built in $((SECONDS - started)) s"
for file in bin/vpnse.dll lib/libvpnse.dll.a include/vpnse.h; do
    [ -f "$build/dist/$file" ] || { echo "FAIL: the Windows SDK lacks $file" >&2; exit 1; }
done

echo "== wine prefix"
"$wine" wineboot -i >/dev/null 2>&1

echo "== unit tests under wine64"
(cd "$build" && ctest -L unit --output-on-failure --timeout 300 --no-tests=error)
stop_wine

echo "== the C API from a Windows program against the real server"
profile_fixture_up wine
cp "$build/bin/vpnse.dll" "$build/tests/windows/" 2>/dev/null || cp "$build/dist/bin/vpnse.dll" "$build/tests/windows/"
ip netns exec "$CLIENT_NS" "$wine" "$build/tests/windows/capi_wine_test.exe" "$work/profiles/wine.toml" "$VPN_GATEWAY"
stop_wine
echo "PASS windows"
