#!/usr/bin/env bash
# Secrets never leave vpnsed (README.md beside this file): a trace-level run with a clear password, a
# password hash and a proxy password; connect, status, profile view, logs, a server-side kill and the
# re-login, an import and a reload; then the password, the hash and the proxy password are searched in
# the log, the state dir, and every answer vpnsectl printed. Also the profile files' modes.
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" secrets

a=''; unique_fixture_name a sX  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-secrets.XXXXXX)
cleanup() {
    set +e
    daemon_stop
    "$fixture" down "$a" >/dev/null 2>&1
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

tracked_fixture_up "$a" auto > "$work/a.env"
# shellcheck disable=SC1090
. "$work/a.env"
ns=$CLIENT_NS
proxy_password=proxy-Secret-$RANDOM$RANDOM
# A password no path or log word can contain by chance (the fixture's is a common word).
PASSWORD=Pw-$RANDOM-$RANDOM-$RANDOM
"$fixture" vpncmd "$a" UserPasswordSet "$USER" "/PASSWORD:$PASSWORD" >/dev/null || fail "UserPasswordSet"
sed -i "s|^PASSWORD=.*|PASSWORD=$PASSWORD|" "$work/a.env"
hash=$(python3 -c 'import base64,sys; print(base64.b64encode(bytes(range(20))).decode())')
daemon_profile "$work" office "$work/a.env" $'[network]\ndns = false\nipv6 = false'
# Never connected: only its secrets matter (a proxy password and a hash must not show either).
daemon_profile "$work" other "$work/a.env" \
    $'[proxy]\ntype = "http"\nhost = "10.9.9.9"\nport = 3128\nusername = "p"\npassword = "'"$proxy_password"$'"'
sed -i "s|^method = \"password\"|method = \"password_hash\"|; 0,/^password = /s|^password = .*|password_hash = \"$hash\"|" \
    "$work/profiles/other.toml"
e2e_daemon_start "$work" "$ns" --log-level trace
out=$work/answers
: > "$out"
say() { "$@" >> "$out" 2>&1 || fail "$*"; }

step "connect, look at everything, get killed by the hub, log in again, import, reload"
say ctl connect office
cp -r "$work/state" "$work/state-connected"  # the tunnel's journal exists while it is up
ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping"
say ctl --json status
say ctl status office
say ctl --json profiles show office
say ctl --json profiles show other
say ctl logs --lines 10000
session=$(ctl --json status office | python3 -c 'import json,sys; print(json.load(sys.stdin)["tunnels"][0]["session_name"])')
"$fixture" kill-connections "$a" "$USER" 2>/dev/null || fail "kill-connections"
relogged() { [ "$(ctl --json status office | python3 -c 'import json,sys; t=json.load(sys.stdin)["tunnels"][0]; print(t["state"], t["session_name"])')" != "established $session" ] &&
    ctl --json status office | grep -q '"established"'; }
for _ in $(seq 1 100); do relogged && break; sleep 0.2; done
relogged || fail "no re-login after the hub's kill"
cp "$work/profiles/office.toml" "$work/import.toml"
chmod 0644 "$work/import.toml"
say ctl import "$work/import.toml" --name imported
say ctl reload
say ctl --json profiles show imported
say ctl disconnect office
say ctl logs --lines 10000

step "the secrets appear nowhere"
for secret in "$PASSWORD" "$hash" "$proxy_password"; do
    for place in "$work/vpnsed.log" "$out"; do
        if grep -qF -- "$secret" "$place"; then
            grep -F -- "$secret" "$place" | head -3 | sed "s|$secret|<SECRET>|g" >&2
            fail "a secret was found in $place"
        fi
    done
    if grep -rqF -- "$secret" "$work/state" "$work/state-connected"; then fail "a secret was found in the state dir"; fi
done
lines=$(wc -l < "$work/vpnsed.log")
((lines > 50)) || fail "the trace log has only $lines lines: was it really at trace level?"
echo "   RESULT: $lines trace log lines, $(wc -l < "$out") lines of answers, state dir $(find "$work/state-connected" -type f | wc -l) files while connected: no secret"

step "profile files keep their modes after import and reload"
[ "$(stat -c '%a %U' "$work/profiles")" = "700 root" ] || fail "profile dir is $(stat -c '%a %U' "$work/profiles")"
for f in "$work"/profiles/*.toml; do
    [ "$(stat -c '%a %U' "$f")" = "600 root" ] || fail "$f is $(stat -c '%a %U' "$f")"
done
e2e_daemon_stop_clean
echo "PASS secrets"
