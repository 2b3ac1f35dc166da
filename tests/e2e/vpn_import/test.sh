#!/usr/bin/env bash
# Official client account files (.vpn) imported by vpnsectl, then connected (README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" vpn_import
[ -x /usr/libexec/softether/vpnclient/vpnclient ] ||
    skip_or_fail "vpn_import: needs softether-vpnclient (the official client writes the account files)"

name=''; unique_fixture_name name vi  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-vpnimport.XXXXXX)
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

step "the official client writes account files for $SERVER_IP"
"$root/tests/support/vpn-account-files" "$work/accounts" --server "$SERVER_IP:$SERVER_PORT" --hub "$HUB" \
    --user "$USER" --password "$PASSWORD" --anonymous-user "$ANON_USER" --cert-user certuser >/dev/null ||
    fail "vpn-account-files"
chmod 0755 "$work" "$work/accounts" && chmod 0644 "$work/accounts/"*.vpn

e2e_daemon_start "$work" "$ns"

step "vpnsectl import password.vpn --name office; connect"
ctl import "$work/accounts/password.vpn" --name office > "$work/import.out" || fail "import: $(cat "$work/import.out")"
cat "$work/import.out"
grep -q "imported .* as profile office" "$work/import.out" || fail "import did not name the profile"
grep -q 'tls.verify = "insecure"' "$work/import.out" || fail "no note about the unchecked server certificate"
[ "$(stat -c '%a %U' "$work/profiles/office.toml")" = "600 root" ] || fail "office.toml is not 0600 root"
grep -q "password_hash" "$work/profiles/office.toml" || fail "the hashed password was not imported"
ctl connect office || fail "connect the imported profile"
ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping through the imported profile"
ctl disconnect office >/dev/null || fail "disconnect"

step "the anonymous account keeps its own name"
ctl import "$work/accounts/anonymous.vpn" > "$work/import.out" || fail "import anonymous: $(cat "$work/import.out")"
grep -q "as profile anonymous" "$work/import.out" || fail "anonymous.vpn: $(cat "$work/import.out")"
ctl connect anonymous || fail "connect anonymous"
ctl disconnect anonymous >/dev/null

step "a certificate account: certificate and key stored beside the profile, then connected"
# The hub binds certuser to the certificate the official client's account holds (UserCertSet).
cp "$work/accounts/certificate-user.pem" "$STATE_DIR/certuser.pem"
(cd "$STATE_DIR" && "$fixture" vpncmd "$name" UserCreate certuser /GROUP:none /REALNAME:none /NOTE:none &&
    "$fixture" vpncmd "$name" UserCertSet certuser /LOADCERT:certuser.pem) >"$work/vpncmd.out" 2>&1 ||
    fail "hub user certuser: $(cat "$work/vpncmd.out")"
ctl import "$work/accounts/certificate.vpn" --name withcert > "$work/import.out" ||
    fail "import certificate.vpn: $(cat "$work/import.out")"
for file in withcert.cert.der withcert.key.der; do
    [ "$(stat -c '%a %U' "$work/profiles/$file")" = "600 root" ] || fail "$file is not 0600 root"
done
grep -q "key_file = .$work/profiles/withcert.key.der.$" "$work/profiles/withcert.toml" ||
    fail "the profile does not name its key file: $(cat "$work/profiles/withcert.toml")"
ctl connect withcert || fail "connect the imported certificate profile"
ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping through the certificate profile"
ctl disconnect withcert >/dev/null || fail "disconnect withcert"

step "no silent overwrite; --replace; refusals"
if ctl import "$work/accounts/password.vpn" --name office > "$work/again.out" 2>&1; then
    fail "importing over office without --replace succeeded"
fi
grep -q "exists" "$work/again.out" || fail "overwrite refusal: $(cat "$work/again.out")"
ctl import "$work/accounts/password.vpn" --name office --replace >/dev/null || fail "--replace"
printf 'declare root\n{\n\tuint Port many\n}\n' > "$work/broken.vpn"
chmod 0644 "$work/broken.vpn"
if ctl import "$work/broken.vpn" --name broken > "$work/broken.out" 2>&1; then fail "a broken file was imported"; fi
grep -q "line 3: Port" "$work/broken.out" || fail "broken file: $(cat "$work/broken.out")"
if ip netns exec "$ns" runuser -u nobody -- "$VPNSE_BUILD_DIR/ctl/vpnsectl" --socket "$DAEMON_SOCKET" \
    import "$work/accounts/anonymous.vpn" --name other > "$work/nobody.out" 2>&1; then
    fail "nobody imported a profile"
fi
grep -q "permission denied" "$work/nobody.out" || fail "nobody: $(cat "$work/nobody.out")"
[ ! -e "$work/profiles/other.toml" ] || fail "nobody's import wrote a file"

step "vpnsectl profiles remove: the profile and its stored certificate and key; refusals"
if ip netns exec "$ns" runuser -u nobody -- "$VPNSE_BUILD_DIR/ctl/vpnsectl" --socket "$DAEMON_SOCKET" \
    profiles remove withcert > "$work/nobody.out" 2>&1; then
    fail "nobody removed a profile"
fi
grep -q "permission denied" "$work/nobody.out" || fail "nobody: $(cat "$work/nobody.out")"
ctl connect withcert || fail "connect withcert before removing it"
ctl profiles remove withcert > "$work/remove.out" || fail "remove withcert: $(cat "$work/remove.out")"
for file in withcert.toml withcert.cert.der withcert.key.der; do
    [ ! -e "$work/profiles/$file" ] || fail "$file is still there"
    grep -q "removed $work/profiles/$file" "$work/remove.out" || fail "not reported: $file"
done
ctl --json list | grep -q '"withcert"' && fail "withcert is still listed"
ip -n "$ns" link show vse-withcert >/dev/null 2>&1 && fail "the removed profile's TUN is still up"
status=0
ctl profiles remove withcert > "$work/again.out" 2>&1 || status=$?
[ "$status" = 1 ] && grep -q "no profile named withcert" "$work/again.out" ||
    fail "removing it again: exit $status, $(cat "$work/again.out")"

e2e_daemon_stop_clean
step "pass"
