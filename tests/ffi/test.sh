#!/usr/bin/env bash
# Drives libvpnse.so from C and Python against a real SoftEther server fixture (the drivers run in the
# fixture's client namespace). Usage: test.sh LIBRARY C_DRIVER
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
library=$1
c_driver=$2
if [ "$(id -u)" -ne 0 ] || [ ! -x /usr/libexec/softether/vpnserver/vpnserver ]; then
    echo "SKIP: needs root and softether-vpnserver"
    exit 0
fi
name="ffi$$"; name=${name:0:8}
work=$(mktemp -d /tmp/vpnse-ffi.XXXXXX)
trap '"$root/tests/support/se-fixture" down "$name" >/dev/null 2>&1; rm -rf "$work"' EXIT
"$root/tests/support/se-fixture" up "$name" auto > "$work/env"
# shellcheck disable=SC1091
. "$work/env"
# shellcheck source=../support/daemon-harness.sh
. "$root/tests/support/daemon-harness.sh"
daemon_profile "$work" ffi "$work/env"
cp "$work/profiles/ffi.toml" "$work/profile.toml"
ip netns exec "$CLIENT_NS" "$c_driver" "$work/profile.toml" "$VPN_GATEWAY"
ip netns exec "$CLIENT_NS" python3 "$here/ffi_python_test.py" "$library" "$work/profile.toml" "$VPN_GATEWAY"

libdir=$(dirname "$library")
jni=$(dirname "$c_driver")/libvpnse_jni.so
if command -v javac >/dev/null && [ -f "$jni" ]; then
    javac -d "$work/java" "$here/java/VpnseTest.java"
    ip netns exec "$CLIENT_NS" env LD_LIBRARY_PATH="$libdir" \
        java -Djava.library.path="$(dirname "$jni")" -cp "$work/java" VpnseTest "$work/profile.toml" "$VPN_GATEWAY"
else
    echo "SKIP ffi_java: javac or the JNI glue missing"
fi

if command -v mcs >/dev/null && command -v mono >/dev/null; then
    mcs -out:"$work/VpnseTest.exe" "$here/csharp/VpnseTest.cs"
    ip netns exec "$CLIENT_NS" env LD_LIBRARY_PATH="$libdir" MONO_LOG_LEVEL=error \
        mono "$work/VpnseTest.exe" "$work/profile.toml" "$VPN_GATEWAY"
else
    echo "SKIP ffi_csharp: mono-devel missing"
fi
echo "PASS ffi"
