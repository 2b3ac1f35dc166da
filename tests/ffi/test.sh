#!/usr/bin/env bash
# Drives libvpnse.so from C, Python, Java and C# against a real SoftEther server fixture (the drivers run in
# the fixture's client namespace). With "c-only" only the C driver runs (the TSan stage of scripts/test). In
# an ASan build the interpreters get the sanitizer runtime preloaded (INTERPRETER_ENV).
# Usage: test.sh LIBRARY C_DRIVER [c-only]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
library=$1
c_driver=$2
only_c=${3:-}
# shellcheck source=../support/profile-fixture.sh
. "$root/tests/support/profile-fixture.sh"
profile_fixture_begin ffi ff
profile_fixture_up ffi
cp "$work/profiles/ffi.toml" "$work/profile.toml"
ip netns exec "$CLIENT_NS" "$c_driver" "$work/profile.toml" "$VPN_GATEWAY"
if [ "$only_c" = c-only ]; then
    echo "PASS ffi (C only)"
    exit 0
fi
ip netns exec "$CLIENT_NS" env "${INTERPRETER_ENV[@]}" \
    python3 "$here/ffi_python_test.py" "$library" "$work/profile.toml" "$VPN_GATEWAY"

libdir=$(dirname "$library")
jni=$(dirname "$c_driver")/libvpnse_jni.so
if ! command -v javac >/dev/null || ! command -v java >/dev/null; then
    skip_part "ffi_java: javac/java missing (package openjdk-17-jdk-headless)"
elif [ ! -f "$jni" ]; then
    skip_part "ffi_java: the JNI glue $jni was not built (configure found no javac with jni.h; re-run cmake)"
else
    javac -d "$work/java" "$here/java/VpnseTest.java"
    ip netns exec "$CLIENT_NS" env "${INTERPRETER_ENV[@]}" LD_LIBRARY_PATH="$libdir" \
        java -Djava.library.path="$(dirname "$jni")" -cp "$work/java" VpnseTest "$work/profile.toml" "$VPN_GATEWAY"
fi

if ! command -v mcs >/dev/null || ! command -v mono >/dev/null; then
    skip_part "ffi_csharp: mcs/mono missing (package mono-devel)"
else
    mcs -out:"$work/VpnseTest.exe" "$here/csharp/VpnseTest.cs"
    ip netns exec "$CLIENT_NS" env "${INTERPRETER_ENV[@]}" LD_LIBRARY_PATH="$libdir" MONO_LOG_LEVEL=error \
        mono "$work/VpnseTest.exe" "$work/profile.toml" "$VPN_GATEWAY"
fi
skip_finish
echo "PASS ffi"
