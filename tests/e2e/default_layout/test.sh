#!/usr/bin/env bash
# vpnsed with the default path layout of its systemd unit (topology: README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" default_layout

a=''; unique_fixture_name a dL  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-layout.XXXXXX)
pid=
cleanup() {
    set +e
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    "$fixture" down "$a" >/dev/null 2>&1
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

tracked_fixture_up "$a" auto > "$work/a.env"
# shellcheck disable=SC1090
. "$work/a.env"
ns=$CLIENT_NS

# /etc as the package leaves it, in an overlay: profiles, group vpnse, no vpnsed.toml.
mkdir -p "$work/etc-up/vpnse" "$work/etc-work"
daemon_profile "$work/etc-up/vpnse" office "$work/a.env" $'[network]\ndns = false'
chmod 0700 "$work/etc-up/vpnse/profiles"
[ ! -e /etc/vpnse/vpnsed.toml ] || mknod "$work/etc-up/vpnse/vpnsed.toml" c 0 0  # an overlay whiteout
# The member is "nobody", listed in group vpnse as an administrator would list a user (vpnsed reads
# membership from the group database, not from the caller's process).
gid=$(getent group vpnse | cut -d: -f3 || true)
if [ -n "$gid" ]; then
    awk -F: -v OFS=: '$1 == "vpnse" { $4 = ($4 == "" ? "nobody" : $4 ",nobody") } { print }' /etc/group \
        > "$work/etc-up/group"
else
    gid=64123
    while getent group "$gid" >/dev/null; do gid=$((gid + 1)); done
    { cat /etc/group; echo "vpnse:x:$gid:nobody"; } > "$work/etc-up/group"
fi

# Starts vpnsed in the client netns with a private /etc overlay and /run tmpfs; extra args follow.
start_vpnsed() {
    ip netns exec "$ns" unshare -m --propagation private sh -c '
        mount -t overlay vpnse-etc -o "lowerdir=/etc,upperdir=$1/etc-up,workdir=$1/etc-work" /etc || exit 1
        mount -t tmpfs -o mode=0755 vpnse-run /run || exit 1
        mkdir -m 0755 /run/vpnse || exit 1
        shift
        exec "$@"' vpnsed-ns "$work" "$VPNSE_BUILD_DIR/daemon/vpnsed" --foreground "$@" > "$work/vpnsed.log" 2>&1 &
    pid=$!
    track_pid "$pid"
}
inside() { nsenter -t "$pid" -m -n "$@"; }
# The outsider: a uid with no account, so in no group at all.
as_member() { inside setpriv --reuid=65534 --regid=65534 --init-groups "$VPNSE_BUILD_DIR/ctl/vpnsectl" "$@"; }
as_outsider() { inside setpriv --reuid=65533 --regid=65533 --clear-groups "$VPNSE_BUILD_DIR/ctl/vpnsectl" "$@"; }

step "vpnsed with every default"
start_vpnsed
for _ in $(seq 1 100); do
    inside test -S /run/vpnse/vpnsed.sock 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || fail "vpnsed exited"
    sleep 0.1
done
inside test -S /run/vpnse/vpnsed.sock || fail "no socket at /run/vpnse/vpnsed.sock"

step "a member of vpnse connects; the journal stays private, the socket reachable"
as_member connect office --timeout 30 || fail "member connect"
inside test -e /run/vpnse/state/tunnel-office.json || fail "no journal entry while the tunnel is up"
modes=$(inside stat -c '%a %n' /run/vpnse /run/vpnse/state /run/vpnse/vpnsed.sock)
echo "$modes"
grep -x >/dev/null "755 /run/vpnse" <<<"$modes" || fail "socket directory not 0755: $modes"
grep -x >/dev/null "700 /run/vpnse/state" <<<"$modes" || fail "state directory not 0700: $modes"
grep -x >/dev/null "666 /run/vpnse/vpnsed.sock" <<<"$modes" || fail "socket not 0666: $modes"

step "anyone reads status; an outsider may not disconnect; the member may"
as_member status office | grep >/dev/null established || fail "member status"
as_outsider status office | grep >/dev/null established || fail "outsider status"
rc=0; as_outsider disconnect office >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 4 ] || fail "outsider disconnect should exit 4 (got $rc)"
as_member disconnect office || fail "member disconnect"
for _ in $(seq 1 50); do
    inside test -e /run/vpnse/state/tunnel-office.json || break
    sleep 0.1
done
inside test ! -e /run/vpnse/state/tunnel-office.json || fail "journal entry left after disconnect"
kill -TERM "$pid"; wait "$pid" || fail "vpnsed exit status"; pid=

step "a state_dir that contains the socket is refused at start"
printf 'state_dir = "/run/vpnse"\n' > "$work/etc-up/vpnse/vpnsed.toml"
rc=0
ip netns exec "$ns" unshare -m --propagation private sh -c '
    mount -t overlay vpnse-etc -o "lowerdir=/etc,upperdir=$1/etc-up,workdir=$1/etc-work" /etc || exit 99
    mount -t tmpfs -o mode=0755 vpnse-run /run && mkdir -m 0755 /run/vpnse || exit 99
    exec "$2" --foreground' vpnsed-ns "$work" "$VPNSE_BUILD_DIR/daemon/vpnsed" > "$work/refused.log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -ne 99 ] || fail "vpnsed should refuse state_dir = socket directory (rc $rc)"
grep >/dev/null "state_dir /run/vpnse contains the control socket" "$work/refused.log" ||
    fail "unclear refusal: $(cat "$work/refused.log")"
echo "PASS default_layout"
