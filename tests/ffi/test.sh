#!/usr/bin/env bash
# Drives libvpnse.so from C, Python, Java and C# against a real SoftEther server fixture (the drivers run in
# the fixture's client namespace). With "c-only" only the C driver runs: the sanitizer build's libvpnse
# cannot be loaded by the other languages' runtimes.
# Usage: test.sh LIBRARY C_DRIVER [c-only]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
library=$1
c_driver=$2
only_c=${3:-}
# shellcheck source=../support/skip.sh
. "$root/tests/support/skip.sh"
# shellcheck source=../support/names.sh
. "$root/tests/support/names.sh"
if [ "$(id -u)" -ne 0 ]; then skip_or_fail "ffi: needs root"; fi
if [ ! -x /usr/libexec/softether/vpnserver/vpnserver ]; then
    skip_or_fail "ffi: needs softether-vpnserver (/usr/libexec/softether/vpnserver/vpnserver)"
fi
name=''; unique_fixture_name name ff  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-ffi.XXXXXX)
# shellcheck source=../support/leftovers.sh
. "$root/tests/support/leftovers.sh"
cleanup() {
    set +e
    "$root/tests/support/se-fixture" down "$name" >/dev/null 2>&1
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT
tracked_fixture_up "$name" auto > "$work/env"
# shellcheck disable=SC1091
. "$work/env"
# shellcheck source=../support/daemon-harness.sh
. "$root/tests/support/daemon-harness.sh"
daemon_profile "$work" ffi "$work/env"
cp "$work/profiles/ffi.toml" "$work/profile.toml"
ip netns exec "$CLIENT_NS" "$c_driver" "$work/profile.toml" "$VPN_GATEWAY"
if [ "$only_c" = c-only ]; then
    echo "PASS ffi (C only)"
    exit 0
fi
ip netns exec "$CLIENT_NS" python3 "$here/ffi_python_test.py" "$library" "$work/profile.toml" "$VPN_GATEWAY"

libdir=$(dirname "$library")
jni=$(dirname "$c_driver")/libvpnse_jni.so
if ! command -v javac >/dev/null || ! command -v java >/dev/null; then
    skip_part "ffi_java: javac/java missing (package openjdk-17-jdk-headless)"
elif [ ! -f "$jni" ]; then
    skip_part "ffi_java: the JNI glue $jni was not built (configure found no javac with jni.h; re-run cmake)"
else
    javac -d "$work/java" "$here/java/VpnseTest.java"
    ip netns exec "$CLIENT_NS" env LD_LIBRARY_PATH="$libdir" \
        java -Djava.library.path="$(dirname "$jni")" -cp "$work/java" VpnseTest "$work/profile.toml" "$VPN_GATEWAY"
fi

if ! command -v mcs >/dev/null || ! command -v mono >/dev/null; then
    skip_part "ffi_csharp: mcs/mono missing (package mono-devel)"
else
    mcs -out:"$work/VpnseTest.exe" "$here/csharp/VpnseTest.cs"
    ip netns exec "$CLIENT_NS" env LD_LIBRARY_PATH="$libdir" MONO_LOG_LEVEL=error \
        mono "$work/VpnseTest.exe" "$work/profile.toml" "$VPN_GATEWAY"
fi
skip_finish
echo "PASS ffi"
