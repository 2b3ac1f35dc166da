#!/usr/bin/env bash
# The Kotlin binding against a real SoftEther server: compiles the binding and its test with kotlinc and
# runs it on the JVM inside the fixture's client namespace (it opens its TUN there).
# Usage: test.sh LIBVPNSE JNI_GLUE TEST_GLUE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
library=$1
glue=$2
test_glue=$3
# shellcheck source=../../tests/support/profile-fixture.sh
. "$root/tests/support/profile-fixture.sh"
profile_fixture_begin kotlin kt
if ! command -v kotlinc >/dev/null || ! command -v java >/dev/null; then
    skip_or_fail "kotlin: kotlinc/java missing (packages kotlin, openjdk-17-jdk-headless)"
fi

# Compiled before the fixture is up: kotlinc takes a while on a busy machine.
kotlinc "$here/src" "$here/test" -include-runtime -d "$work/vpnse-kotlin-test.jar" 2>&1 |
    grep -v -e 'warning: Options -Xverify:none' -e '^OpenJDK 64-Bit Server VM warning' || true
[ -f "$work/vpnse-kotlin-test.jar" ] || { echo "kotlinc failed" >&2; exit 1; }

profile_fixture_up kotlin "$(printf '\n[session]\nmax_connections = 2')"
libdirs=$(dirname "$library"):$(dirname "$glue"):$(dirname "$test_glue")
ip netns exec "$CLIENT_NS" env "${INTERPRETER_ENV[@]}" LD_LIBRARY_PATH="$libdirs" \
    java -Djava.library.path="$libdirs" -cp "$work/vpnse-kotlin-test.jar" org.vpnse.test.VpnseClientTestKt \
    "$work/profiles/kotlin.toml" "$VPN_GATEWAY" "$BRIDGE_HOST_IP" "$IPERF_PORT" "$PASSWORD"
echo "PASS e2e_kotlin"
