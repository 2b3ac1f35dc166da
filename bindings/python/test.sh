#!/usr/bin/env bash
# The Python package against a real SoftEther server: its unittest suite inside the fixture's client
# namespace, imported from src/ (no installation needed).
# Usage: test.sh LIBVPNSE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
library=$1
# shellcheck source=../../tests/support/skip.sh
. "$root/tests/support/skip.sh"
# shellcheck source=../../tests/support/names.sh
. "$root/tests/support/names.sh"
if [ "$(id -u)" -ne 0 ]; then skip_or_fail "python: needs root"; fi
if [ ! -x /usr/libexec/softether/vpnserver/vpnserver ]; then
    skip_or_fail "python: needs softether-vpnserver (/usr/libexec/softether/vpnserver/vpnserver)"
fi
name=''; unique_fixture_name name py  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-python.XXXXXX)
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
daemon_profile "$work" python "$work/env"
ip netns exec "$CLIENT_NS" env VPNSE_LIBRARY="$library" VPNSE_PROFILE="$work/profiles/python.toml" \
    VPNSE_GATEWAY="$VPN_GATEWAY" VPNSE_PASSWORD="$PASSWORD" PYTHONPATH="$here/src" PYTHONDONTWRITEBYTECODE=1 \
    python3 -m unittest discover -v -s "$here/tests"
echo "PASS e2e_python"
