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
# shellcheck source=../../tests/support/skip.sh
. "$root/tests/support/skip.sh"
# shellcheck source=../../tests/support/names.sh
. "$root/tests/support/names.sh"
if [ "$(id -u)" -ne 0 ]; then skip_or_fail "kotlin: needs root"; fi
if ! command -v kotlinc >/dev/null || ! command -v java >/dev/null; then
    skip_or_fail "kotlin: kotlinc/java missing (packages kotlin, openjdk-17-jdk-headless)"
fi
if [ ! -x /usr/libexec/softether/vpnserver/vpnserver ]; then
    skip_or_fail "kotlin: needs softether-vpnserver (/usr/libexec/softether/vpnserver/vpnserver)"
fi
name=''; unique_fixture_name name kt  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-kotlin.XXXXXX)
# shellcheck source=../../tests/support/leftovers.sh
. "$root/tests/support/leftovers.sh"
cleanup() {
    set +e
    "$root/tests/support/se-fixture" down "$name" >/dev/null 2>&1
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

# Compiled before the fixture is up: kotlinc takes a while on a busy machine.
kotlinc "$here/src" "$here/test" -include-runtime -d "$work/vpnse-kotlin-test.jar" 2>&1 |
    grep -v -e 'warning: Options -Xverify:none' -e '^OpenJDK 64-Bit Server VM warning' || true
[ -f "$work/vpnse-kotlin-test.jar" ] || { echo "kotlinc failed" >&2; exit 1; }

tracked_fixture_up "$name" auto > "$work/env"
# shellcheck disable=SC1091
. "$work/env"
# shellcheck source=../../tests/support/daemon-harness.sh
. "$root/tests/support/daemon-harness.sh"
daemon_profile "$work" kotlin "$work/env" "$(printf '\n[session]\nmax_connections = 2')"
libdirs=$(dirname "$library"):$(dirname "$glue"):$(dirname "$test_glue")
ip netns exec "$CLIENT_NS" env LD_LIBRARY_PATH="$libdirs" \
    java -Djava.library.path="$libdirs" -cp "$work/vpnse-kotlin-test.jar" org.vpnse.test.VpnseClientTestKt \
    "$work/profiles/kotlin.toml" "$VPN_GATEWAY" "$BRIDGE_HOST_IP" "$IPERF_PORT" "$PASSWORD"
echo "PASS e2e_kotlin"
