#!/usr/bin/env bash
# The Windows port under wine (docs/windows.md): cross-builds it with scripts/build-windows (the target
# libraries from Debian's source packages, cached in build-windows-deps/), runs the cross-compiled unit
# tests under wine64 (ctest -L unit in the Windows build), then runs tests/windows/capi_wine_test.exe
# against vpnse.dll in the SoftEther fixture's client namespace: wine's sockets are the host's, so the
# Windows program reaches the real server there (connect, tunnel configuration, ICMP echo through the
# packet API, disconnect), and finally vpnsed.exe as a Windows service (wine's services.exe and sc.exe)
# driven by vpnsectl.exe over the named pipe \\.\pipe\vpnse: a real session to the server, its status and
# the service's log file, stop and removal through the SCM; the same in the foreground with malformed pipe
# input; last vpnsed.exe with its Wintun backend, where wine has no Wintun driver: connect must fail with an
# error naming wintun.dll, and the daemon carry on.
# Every wine process runs in a private WINEPREFIX that is removed at the end.
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
for file in bin/vpnse.dll lib/libvpnse.dll.a include/vpnse.h bin/vpnsed.exe bin/vpnsectl.exe; do
    [ -f "$build/dist/$file" ] || { echo "FAIL: the Windows SDK lacks $file" >&2; exit 1; }
done

echo "== wine prefix"
"$wine" wineboot -i >/dev/null 2>&1

echo "== unit tests under wine64"
(cd "$build" && ctest -L unit --output-on-failure --timeout 300 --no-tests=error)
stop_wine

echo "== the C API from a Windows program against the real server"
profile_fixture_up wine
cp "$build/dist/bin/vpnse.dll" "$build/tests/windows/"  # next to the .exe: where Windows looks first
ip netns exec "$CLIENT_NS" "$wine" "$build/tests/windows/capi_wine_test.exe" "$work/profiles/wine.toml" "$VPN_GATEWAY"
stop_wine

echo '== vpnsed.exe as a Windows service (the SCM of wine), vpnsectl.exe over \\.\pipe\vpnse'
# Every wine process of the prefix (services.exe included) starts inside the client namespace.
in_ns() { ip netns exec "$CLIENT_NS" "$wine" "$@"; }
winctl() { in_ns "$build/dist/bin/vpnsectl.exe" "$@"; }
data=$WINEPREFIX/drive_c/ProgramData/vpnse
mkdir -p "$data/profiles"
cp "$work/profiles/wine.toml" "$data/profiles/wine.toml"
# install checks the options it hands to the service: a wrong one fails here, not at every start.
if in_ns "$build/dist/bin/vpnsed.exe" install --no-such-option >"$work/install-bad.txt" 2>&1; then
    echo "FAIL: vpnsed.exe install accepted --no-such-option" >&2
    exit 1
fi
grep -q 'no-such-option' "$work/install-bad.txt" || { cat "$work/install-bad.txt"; exit 1; }
# --no-adapter: wine has no Wintun driver (the last part shows what happens without it).
in_ns "$build/dist/bin/vpnsed.exe" install --no-adapter --log-level debug
in_ns sc start vpnse >/dev/null
for _ in $(seq 100); do winctl --pipe version >/dev/null 2>&1 && break; sleep 0.2; done
winctl --pipe version | tee "$work/version.txt"
grep -q '^vpnsed ' "$work/version.txt"
winctl --pipe list | tee "$work/list.txt"
grep -q '^wine ' "$work/list.txt"  # the profile from %ProgramData%\vpnse\profiles
# A session through the service, and its log in %ProgramData%\vpnse\vpnsed.log.
winctl --pipe connect wine --timeout 30
winctl --pipe --json status wine >"$work/service-status.json"
grep -q '"state": *"established"' "$work/service-status.json" || { cat "$work/service-status.json"; exit 1; }
winctl --pipe disconnect wine
winctl --pipe --json status wine | grep -q '"state": *"disconnected"'
for line in 'vpnsed: ready' 'tunnel established profile=wine' 'tunnel disconnected profile=wine'; do
    grep -q "$line" "$data/vpnsed.log" ||
        { echo "FAIL: no '$line' in the service's log $data/vpnsed.log" >&2; cat "$data/vpnsed.log" >&2 || true
          find "$WINEPREFIX" -name 'vpnsed.log*' >&2; exit 1; }
done
# uninstall stops the service through the SCM, waits for it to stop, deletes it.
in_ns "$build/dist/bin/vpnsed.exe" uninstall
if in_ns sc query vpnse >/dev/null 2>&1; then
    echo "FAIL: service vpnse still registered after vpnsed.exe uninstall" >&2
    exit 1
fi
stop_wine

echo "== vpnsed.exe in the foreground: a session to the real server, driven over a named pipe"
pipe='\\.\pipe\vpnse-'$name
profile_dir="Z:${work//\//\\}\\profiles"
# --no-adapter: session-only tunnels, since wine has no Wintun driver (the next part shows what happens
# without the option).
ip netns exec "$CLIENT_NS" "$wine" "$build/dist/bin/vpnsed.exe" --foreground --no-adapter --socket "$pipe" \
    --profile-dir "$profile_dir" >"$work/vpnsed.log" 2>&1 &
daemon_pid=$!
track_pid "$daemon_pid"
for _ in $(seq 100); do winctl --pipe="$pipe" version >/dev/null 2>&1 && break; sleep 0.2; done
winctl --pipe="$pipe" connect wine --timeout 30
winctl --pipe="$pipe" --json status wine >"$work/status.json"
grep -q '"state": *"established"' "$work/status.json" || { cat "$work/status.json"; exit 1; }
grep -q '"address": *"192\.168\.' "$work/status.json" || { cat "$work/status.json"; exit 1; }
# Malformed input on the pipe (cmd's echo opens it like a file): the daemon answers and carries on.
in_ns cmd /c "echo {\"jsonrpc\": not json > $pipe" >/dev/null 2>&1 || true
winctl --pipe="$pipe" --json status wine | grep -q '"state": *"established"'
winctl --pipe="$pipe" disconnect wine
winctl --pipe="$pipe" --json status wine | grep -q '"state": *"disconnected"'
kill "$daemon_pid" 2>/dev/null || true
stop_wine

echo "== vpnsed.exe with the Wintun backend: no wintun.dll under wine, so connect fails naming it"
pipe='\\.\pipe\vpnse-'$name-wintun
ip netns exec "$CLIENT_NS" "$wine" "$build/dist/bin/vpnsed.exe" --foreground --socket "$pipe" \
    --profile-dir "$profile_dir" --state-dir "Z:${work//\//\\}\\state" >"$work/vpnsed-wintun.log" 2>&1 &
daemon_pid=$!
track_pid "$daemon_pid"
for _ in $(seq 100); do winctl --pipe="$pipe" version >/dev/null 2>&1 && break; sleep 0.2; done
# The session comes up first (login, DHCP); opening the adapter for the lease is what fails, and connect
# (which waits until established or failed) reports it.
winctl --pipe="$pipe" connect wine --timeout 30 >"$work/connect-wintun.txt" 2>&1 && rc=0 || rc=$?
cat "$work/connect-wintun.txt"
[ "$rc" -ne 0 ] || { echo "FAIL: connect succeeded without Wintun" >&2; exit 1; }
grep -q 'cannot load wintun\.dll' "$work/connect-wintun.txt" ||
    { echo "FAIL: connect's error does not name wintun.dll" >&2; exit 1; }
for _ in $(seq 100); do
    winctl --pipe="$pipe" --json status wine >"$work/status-wintun.json" 2>/dev/null || true
    grep -q '"state": *"disconnected"' "$work/status-wintun.json" && break
    sleep 0.2
done
grep -E '"(state|message)"' "$work/status-wintun.json" || true
grep -q '"state": *"disconnected"' "$work/status-wintun.json" ||
    { echo "FAIL: the tunnel did not go down without Wintun" >&2; exit 1; }
grep -q 'wintun\.dll' "$work/status-wintun.json" ||
    { echo "FAIL: the tunnel's error does not name wintun.dll" >&2; cat "$work/vpnsed-wintun.log"; exit 1; }
kill -0 "$daemon_pid" || { echo "FAIL: vpnsed.exe died" >&2; cat "$work/vpnsed-wintun.log"; exit 1; }
winctl --pipe="$pipe" version >/dev/null  # still serving
kill "$daemon_pid" 2>/dev/null || true
stop_wine
echo "PASS windows"
