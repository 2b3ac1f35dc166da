#!/usr/bin/env bash
# vpnsed with certificate login against the real SoftEther server (topology: README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" cert

command -v openssl >/dev/null || skip_or_fail "cert: needs openssl (scripts/deps)"

name=''; unique_fixture_name name ct  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-cert.XXXXXX)
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

step "certificates and keys (openssl, generated now)"
keys=$work/keys
mkdir -m 0700 "$keys"
quiet() { "$@" >/dev/null 2>&1 || { "$@"; fail "openssl: $*"; }; }
self_signed() {  # NAME CN: NAME.pem + NAME.key, RSA 2048, valid for two days
    quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/$1.key" -out "$keys/$1.pem" -days 2 -subj "/CN=$2"
}
self_signed certuser certuser
self_signed stranger certuser  # same CN, but not the certificate bound to the user
self_signed ca "vpnse e2e CA"
quiet openssl req -newkey rsa:3072 -nodes -keyout "$keys/signed.key" -out "$work/signed.csr" -subj /CN=signeduser
quiet openssl x509 -req -in "$work/signed.csr" -CA "$keys/ca.pem" -CAkey "$keys/ca.key" -CAcreateserial \
    -days 2 -out "$keys/signed.pem"
# The same certificate and key in DER, to load both encodings.
quiet openssl x509 -in "$keys/signed.pem" -outform DER -out "$keys/signed.der"
quiet openssl pkey -in "$keys/signed.key" -outform DER -out "$keys/signed.key.der"
quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$keys/ec.key" \
    -out "$keys/ec.pem" -days 2 -subj /CN=certuser
# Expired yesterday (-days -1): refused before connecting, with the date.
quiet openssl req -newkey rsa:2048 -nodes -keyout "$keys/expired.key" -out "$work/expired.csr" -subj /CN=certuser
quiet openssl x509 -req -in "$work/expired.csr" -signkey "$keys/expired.key" -days -1 -out "$keys/expired.pem"
chmod 0600 "$keys"/*.key "$keys"/*.der

step "hub users: certuser bound to its certificate, signeduser trusted through the CA"
# vpncmd reads files relative to its working directory and takes "/..." as options (se-fixture header).
cp "$keys/certuser.pem" "$keys/ca.pem" "$STATE_DIR/"
hub() { (cd "$STATE_DIR" && "$fixture" vpncmd "$name" "$@") > "$work/vpncmd.out" 2>&1 || {
    cat "$work/vpncmd.out" >&2; fail "vpncmd $*"; }; }
hub UserCreate certuser /GROUP:none /REALNAME:none /NOTE:none
hub UserCertSet certuser /LOADCERT:certuser.pem
hub CAAdd ca.pem
hub UserCreate signeduser /GROUP:none /REALNAME:none /NOTE:none
hub UserSignedSet signeduser /CN:signeduser /SERIAL:none

# cert_profile NAME USER CERT KEY: a profile logging in as USER with that certificate and key.
cert_profile() {
    daemon_profile "$work" "$1" "$work/fixture.env"
    python3 - "$work/profiles/$1.toml" "$2" "$3" "$4" <<'PY'
import re, sys
path, user, cert, key = sys.argv[1:5]
text = open(path).read()
auth = f'[auth]\nmethod = "certificate"\nusername = "{user}"\ncert_file = "{cert}"\nkey_file = "{key}"\n'
text = re.sub(r'\[auth\]\n(?:[^\[]*\n)', auth + "\n", text, count=1)
open(path, "w").write(text)
PY
}
cert_profile bound certuser "$keys/certuser.pem" "$keys/certuser.key"
cert_profile signed signeduser "$keys/signed.pem" "$keys/signed.key"
cert_profile signedder signeduser "$keys/signed.der" "$keys/signed.key.der"
cert_profile wrongkey certuser "$keys/certuser.pem" "$keys/stranger.key"
cert_profile stranger certuser "$keys/stranger.pem" "$keys/stranger.key"
cert_profile ecdsa certuser "$keys/ec.pem" "$keys/ec.key"
cert_profile expired certuser "$keys/expired.pem" "$keys/expired.key"
cp "$keys/certuser.key" "$work/loose.key"
chmod 0644 "$work/loose.key"
cert_profile loosekey certuser "$keys/certuser.pem" "$work/loose.key"

e2e_daemon_start "$work" "$CLIENT_NS"
ns=$CLIENT_NS

connected() {
    ctl connect "$1" --timeout 40 || fail "vpnsectl connect $1"
    ctl status "$1" | grep >/dev/null "established" || fail "$1 is not established"
    for _ in $(seq 1 3); do
        ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null && return 0
    done
    fail "ping the hub's SecureNAT gateway $VPN_GATEWAY through $1"
}

step "user bound to its certificate (UserCertSet), PEM"
connected bound
"$fixture" vpncmd "$name" SessionList | grep >/dev/null -i certuser || fail "no session of certuser on the hub"
ctl disconnect bound || fail "disconnect bound"

step "user trusted through a CA (CAAdd + UserSignedSet), PEM and DER"
connected signed
ctl disconnect signed || fail "disconnect signed"
connected signedder
ctl disconnect signedder || fail "disconnect signedder"

step "errors"
expect_failure() {
    local profile_name=$1 pattern=$2 out rc=0
    out=$(ctl connect "$profile_name" --timeout 30 2>&1) || rc=$?
    [ "$rc" -ne 0 ] || fail "connect $profile_name should fail"
    echo "$out" | grep >/dev/null -e "$pattern" || fail "connect $profile_name: expected '$pattern' in: $out"
    echo "   $profile_name -> rc $rc: $out"
}
expect_failure wrongkey "auth.key_file $keys/stranger.key: the private key does not belong to the certificate"
expect_failure ecdsa "auth.key_file $keys/ec.key: the key is EC, not RSA"
expect_failure expired "auth.cert_file $keys/expired.pem: the certificate expired on "
expect_failure stranger "authentication failed for user certuser on hub TEST"
# Revoked on the hub (CrlAdd with the certificate's serial): the server refuses it with error 9 too.
serial=$(openssl x509 -in "$keys/signed.pem" -noout -serial | cut -d= -f2)
hub CrlAdd "/SERIAL:$serial"
expect_failure signed "authentication failed for user signeduser on hub TEST"
ctl list > "$work/list.out" 2>&1 || true
grep >/dev/null "a private key must be owned by root and readable by no one else" "$work/list.out" ||
    { cat "$work/list.out" >&2; fail "a world-readable key file should keep the profile from loading"; }

step "the C API with the certificate and key as bytes (the Python package), no files in the profile"
# An app keeps them in its keystore: vpnse_config_set_client_certificate, PEM for certuser, DER for signeduser
# (revoked above, so refused by the server), and a profile waiting for a certificate it never got.
sed '/^cert_file\|^key_file/d' "$work/profiles/bound.toml" > "$work/memory.toml"
ip netns exec "$ns" env "${INTERPRETER_ENV[@]}" PYTHONPATH="$root/bindings/python/src" PYTHONDONTWRITEBYTECODE=1 \
    VPNSE_LIBRARY="$VPNSE_BUILD_DIR/libvpnse/libvpnse.so.1" python3 - "$work/memory.toml" "$keys" <<'PY' ||
import sys
import vpnse
from vpnse.errors import AuthFailedError, ConfigInvalidError

toml = open(sys.argv[1]).read()
keys = sys.argv[2]
read = lambda name: open(f"{keys}/{name}", "rb").read()
with vpnse.Client(toml, "memory", client_certificate=(read("certuser.pem"), read("certuser.key"))) as client:
    client.connect()
    client.wait_state("established", 40)
    assert client.network is not None and client.network.address, "no tunnel address"
    client.disconnect()
try:
    vpnse.Client(toml, "nocert")
    raise SystemExit("a certificate profile without certificate was accepted")
except ConfigInvalidError as e:
    assert "auth.cert_file: is required" in str(e), str(e)
try:
    vpnse.Client(toml, "mismatch", client_certificate=(read("certuser.pem"), read("stranger.key")))
    raise SystemExit("a key of another certificate was accepted")
except ConfigInvalidError as e:
    assert "does not belong to the certificate" in str(e), str(e)
signed = toml.replace('username = "certuser"', 'username = "signeduser"')
with vpnse.Client(signed, "revoked", client_certificate=(read("signed.der"), read("signed.key.der"))) as client:
    client.connect()
    try:
        client.wait_state("established", 30)
        raise SystemExit("a revoked certificate logged in")
    except AuthFailedError:
        pass
print("   C API: PEM login established; missing, mismatched and revoked certificates refused")
PY
    fail "certificate login through the C API from memory"

step "no key material in the log"
key_line=$(sed -n 2p "$keys/certuser.key")
if grep -qF -- "$key_line" "$work/vpnsed.log"; then fail "the daemon log contains private key material"; fi
echo "PASS cert"
