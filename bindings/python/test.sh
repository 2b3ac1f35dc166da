#!/usr/bin/env bash
# The Python package against a real SoftEther server: its unittest suite inside the fixture's client
# namespace, imported from src/ (no installation needed).
# Usage: test.sh LIBVPNSE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
library=$1
# shellcheck source=../../tests/support/profile-fixture.sh
. "$root/tests/support/profile-fixture.sh"
profile_fixture_begin python py
profile_fixture_up python
ip netns exec "$CLIENT_NS" env "${INTERPRETER_ENV[@]}" VPNSE_LIBRARY="$library" \
    VPNSE_PROFILE="$work/profiles/python.toml" \
    VPNSE_GATEWAY="$VPN_GATEWAY" VPNSE_PASSWORD="$PASSWORD" PYTHONPATH="$here/src" PYTHONDONTWRITEBYTECODE=1 \
    python3 -m unittest discover -v -s "$here/tests"
echo "PASS e2e_python"
