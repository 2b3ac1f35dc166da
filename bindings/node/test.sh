#!/usr/bin/env bash
# The Node.js binding against a real SoftEther server: `node --test` inside the fixture's client namespace.
# Usage: test.sh LIBVPNSE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
library=$1
# shellcheck source=../../tests/support/profile-fixture.sh
. "$root/tests/support/profile-fixture.sh"
profile_fixture_begin node nd
if ! command -v node >/dev/null; then skip_or_fail "node: node missing"; fi
if [ ! -d "$here/node_modules/koffi" ]; then
    skip_or_fail "node: koffi missing (cd bindings/node && npm ci)"
fi
profile_fixture_up node
cd "$here"
ip netns exec "$CLIENT_NS" env "${INTERPRETER_ENV[@]}" VPNSE_LIBRARY="$library" \
    VPNSE_PROFILE="$work/profiles/node.toml" VPNSE_GATEWAY="$VPN_GATEWAY" VPNSE_PASSWORD="$PASSWORD" node --test test/
echo "PASS e2e_node"
