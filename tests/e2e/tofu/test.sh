#!/usr/bin/env bash
# tls.verify = "tofu" with vpnsed against the real SoftEther server (README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" tofu

command -v openssl >/dev/null || skip_or_fail "tofu: needs openssl (scripts/deps)"

name=''; unique_fixture_name name tf  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-tofu.XXXXXX)
cleanup() {
    set +e
    daemon_stop
    "$fixture" down "$name" >/dev/null 2>&1
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

tracked_fixture_up "$name" auto > "$work/fixture.env"
# shellcheck disable=SC1090
. "$work/fixture.env"
ns=$CLIENT_NS

daemon_profile "$work" tofu "$work/fixture.env"
# The fixture's pin replaced by trust on first use.
sed -i -e 's/^verify = .*/verify = "tofu"/' -e '/^fingerprint = /d' "$work/profiles/tofu.toml"
trusted=$work/state/trusted/tofu.sha256

e2e_daemon_start "$work" "$ns"

status_fingerprint() {
    ctl --json status tofu | python3 -c 'import json,sys; print(json.load(sys.stdin)["tunnels"][0]["server_fingerprint"])'
}

step "first use: the certificate is recorded and shown"
[ ! -e "$trusted" ] || fail "$trusted exists before the first connect"
ctl connect tofu --timeout 40 || fail "connect tofu (first use)"
ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping through the tunnel"
[ -f "$trusted" ] || fail "no $trusted after the first connect"
[ "$(cat "$trusted")" = "$SERVER_CERT_SHA256" ] ||
    fail "recorded $(cat "$trusted"), the server's certificate is $SERVER_CERT_SHA256"
[ "$(stat -c %a "$trusted")" = 600 ] || fail "$trusted should be mode 0600"
[ "$(status_fingerprint)" = "$SERVER_CERT_SHA256" ] || fail "status --json shows another fingerprint"
ctl status tofu | grep >/dev/null "fingerprint *$SERVER_CERT_SHA256" || { ctl status tofu; fail "vpnsectl status shows no fingerprint"; }
ctl disconnect tofu || fail "disconnect tofu"

step "after a daemon restart the recorded certificate is required, and matches"
daemon_stop
e2e_daemon_start "$work" "$ns"
ctl connect tofu --timeout 40 || fail "connect tofu (pinned)"
ctl disconnect tofu || fail "disconnect tofu"

step "the server's certificate changes: refused, with both fingerprints"
"$fixture" vpncmd "$name" ServerCertRegenerate tofu-new-cn >/dev/null || fail "vpncmd ServerCertRegenerate"
(cd "$STATE_DIR" && "$fixture" vpncmd "$name" ServerCertGet new-cert.pem >/dev/null) || fail "vpncmd ServerCertGet"
new_sha=$(openssl x509 -in "$STATE_DIR/new-cert.pem" -outform DER | sha256sum | cut -d' ' -f1)
[ "$new_sha" != "$SERVER_CERT_SHA256" ] || fail "ServerCertRegenerate kept the certificate"
rc=0
out=$(ctl connect tofu --timeout 30 2>&1) || rc=$?
echo "   -> rc $rc: $out"
[ "$rc" -ne 0 ] || fail "connect with a changed certificate should fail"
echo "$out" | grep >/dev/null "changed since it was trusted on first use" || fail "no 'changed since ... first use' in: $out"
echo "$out" | grep >/dev/null "$new_sha" || fail "the new fingerprint $new_sha is not in: $out"
echo "$out" | grep >/dev/null "$SERVER_CERT_SHA256" || fail "the recorded fingerprint is not in: $out"

step "a damaged record is an error, never a silent first use"
echo "not a fingerprint" > "$trusted"
rc=0
out=$(ctl connect tofu --timeout 30 2>&1) || rc=$?
echo "   -> rc $rc: $out"
[ "$rc" -ne 0 ] || fail "connect with a damaged $trusted should fail"
echo "$out" | grep >/dev/null "not a SHA-256 fingerprint" || fail "no 'not a SHA-256 fingerprint' in: $out"

step "forgetting the recorded certificate trusts the new one"
rm "$trusted"
ctl connect tofu --timeout 40 || fail "connect tofu after deleting $trusted"
[ "$(cat "$trusted")" = "$new_sha" ] || fail "recorded $(cat "$trusted"), expected the new $new_sha"
ctl disconnect tofu || fail "disconnect tofu"
echo "PASS tofu"
