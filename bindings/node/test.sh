#!/usr/bin/env bash
# The Node.js binding against a real SoftEther server: `node --test` inside the fixture's client namespace.
# Usage: test.sh LIBVPNSE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
library=$1
# shellcheck source=../../tests/support/skip.sh
. "$root/tests/support/skip.sh"
# shellcheck source=../../tests/support/names.sh
. "$root/tests/support/names.sh"
if [ "$(id -u)" -ne 0 ]; then skip_or_fail "node: needs root"; fi
if ! command -v node >/dev/null; then skip_or_fail "node: node missing"; fi
if [ ! -d "$here/node_modules/koffi" ]; then
    skip_or_fail "node: koffi missing (cd bindings/node && npm ci)"
fi
if [ ! -x /usr/libexec/softether/vpnserver/vpnserver ]; then
    skip_or_fail "node: needs softether-vpnserver (/usr/libexec/softether/vpnserver/vpnserver)"
fi
name=''; unique_fixture_name name nd  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-node.XXXXXX)
# shellcheck source=../../tests/support/leftovers.sh
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
# shellcheck source=../../tests/support/daemon-harness.sh
. "$root/tests/support/daemon-harness.sh"
daemon_profile "$work" node "$work/env"
cd "$here"
ip netns exec "$CLIENT_NS" env VPNSE_LIBRARY="$library" VPNSE_PROFILE="$work/profiles/node.toml" \
    VPNSE_GATEWAY="$VPN_GATEWAY" VPNSE_PASSWORD="$PASSWORD" node --test test/
echo "PASS e2e_node"
