#!/bin/bash
# DNS backends of daemon/platform/linux against a real systemd-resolved and a private resolv.conf.
# Topology: see README.md next to this file. Needs root and the systemd-resolved .deb (downloaded); without
# them it fails under VPNSE_NO_SKIP=1 and exits 77 (skipped) otherwise (tests/support/skip.sh).
set -euo pipefail

BUILD=${VPNSE_BUILD_DIR:?set VPNSE_BUILD_DIR to the build directory}
PROBE=$BUILD/daemon/platform_dns_probe
SOURCE_DIR=${VPNSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
# shellcheck source=../../support/skip.sh
. "$SOURCE_DIR/tests/support/skip.sh"
if [ "$(id -u)" != 0 ]; then skip_or_fail "platform_dns: needs root"; fi
[ -x "$PROBE" ] || { echo "FAIL platform_dns: $PROBE not built (target platform_dns_probe)"; exit 1; }

W=$(mktemp -d /tmp/vpnse-pdns.XXXXXX)
NS=vpnse-pdns-$$
HOST_MD5=$(md5sum /etc/resolv.conf | cut -d' ' -f1)
root=$SOURCE_DIR
# shellcheck source=../../support/leftovers.sh
. "$SOURCE_DIR/tests/support/leftovers.sh"
cleanup() {
    # Processes inside kill themselves via the inner traps; the mount ns dies with them.
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$W"
    check_nothing_left || exit 1
}
trap cleanup EXIT
track_netns "$NS"
ip netns add "$NS"

# ---------------------------------------------------------------- (b) resolv.conf backend
mkdir -p "$W/ov/up" "$W/ov/work"
cat > "$W/resolvconf.sh" <<'INNER'
set -euo pipefail
W=$1 PROBE=$2
mount -t overlay vpnse-etc -o lowerdir=/etc,upperdir=$W/ov/up,workdir=$W/ov/work /etc
printf '# test original\nnameserver 192.0.2.53\noptions edns0\n' > /etc/resolv.conf
ARGS=(--backend resolv.conf --path /etc/resolv.conf --backup "$W/resolv.backup" --dns 10.8.0.1 --dns fd00:8::1
      --search corp.example --routing '~internal.example' --ifname vpnsepd0)
CHECK='grep -q "^nameserver 10.8.0.1$" /etc/resolv.conf && grep -q "^search corp.example$" /etc/resolv.conf && grep -q "^options edns0$" /etc/resolv.conf'

# Regular file: temp + rename.
before=$(md5sum < /etc/resolv.conf)
"$PROBE" "${ARGS[@]}" --check-applied "$CHECK" >/dev/null
[ "$(md5sum < /etc/resolv.conf)" = "$before" ] || { echo "FAIL resolv.conf not restored exactly"; exit 1; }
echo "PASS resolv.conf regular file restored (md5 $before)"

# Bind-mounted file: rename fails with EBUSY, in-place write must take over.
printf 'nameserver 198.51.100.53\nsearch bound.example\n' > "$W/bound.conf"
mount --bind "$W/bound.conf" /etc/resolv.conf
before=$(md5sum < /etc/resolv.conf)
"$PROBE" "${ARGS[@]}" --check-applied 'grep -q "^nameserver 10.8.0.1$" /etc/resolv.conf' >/dev/null
[ "$(md5sum < /etc/resolv.conf)" = "$before" ] || { echo "FAIL bind-mounted resolv.conf not restored"; exit 1; }
umount /etc/resolv.conf
echo "PASS resolv.conf bind mount (EBUSY) written in place and restored"

# Symlink (e.g. to resolved's stub): replaced by a file, restored as the same symlink.
rm -f /etc/resolv.conf; ln -s ../run/vpnse-stub-resolv.conf /etc/resolv.conf
"$PROBE" "${ARGS[@]}" --check-applied '[ ! -L /etc/resolv.conf ] && grep -q 10.8.0.1 /etc/resolv.conf' >/dev/null
[ "$(readlink /etc/resolv.conf)" = "../run/vpnse-stub-resolv.conf" ] || { echo "FAIL symlink not restored"; exit 1; }
echo "PASS resolv.conf symlink restored"
INNER
ip netns exec "$NS" unshare -m --propagation private bash "$W/resolvconf.sh" "$W" "$PROBE"

# ---------------------------------------------------------------- (a) real systemd-resolved
CACHE=${VPNSE_E2E_CACHE:-$BUILD/e2e-cache/platform_dns}
mkdir -p "$CACHE"
VERSION=$(dpkg-query -W -f='${Version}' systemd)
DEB=$(ls "$CACHE"/systemd-resolved_*.deb 2>/dev/null | grep -F "_${VERSION//:/%3a}_" | head -1 || true)
if [ -z "$DEB" ]; then
    (cd "$CACHE" && apt-get download "systemd-resolved=$VERSION" >/dev/null 2>&1) || true
    DEB=$(ls "$CACHE"/systemd-resolved_*.deb 2>/dev/null | head -1 || true)
fi
if [ -z "$DEB" ]; then
    skip_part "platform_dns resolved: apt-get download systemd-resolved=$VERSION failed (the .deb is needed, not installed)"
else
    # Never apt-get install it: its postinst replaces the host's /etc/resolv.conf.
    mkdir -p "$W/pkg" "$W/system.d"
    dpkg-deb -x "$DEB" "$W/pkg"
    cp "$W/pkg/usr/share/dbus-1/system.d/org.freedesktop.resolve1.conf" "$W/system.d/"
    sed -e 's#<user>messagebus</user>##; s#<fork/>##; s#<syslog/>##; s#<pidfile>.*</pidfile>##' \
        -e 's#<servicehelper>.*</servicehelper>##; s#<standard_system_servicedirs/>##' \
        -e "s#<includedir>system.d</includedir>#<includedir>$W/system.d</includedir>#" \
        -e 's#<includedir>/etc/dbus-1/system.d</includedir>##' \
        /usr/share/dbus-1/system.conf > "$W/bus.conf"
    cat > "$W/resolved.sh" <<'INNER'
set -euo pipefail
W=$1 PROBE=$2
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
mount -t tmpfs vpnse-run /run && mkdir -p /run/dbus /run/systemd/resolve
cp /etc/passwd "$W/passwd"; cp /etc/group "$W/group"
echo 'systemd-resolve:x:991:991::/:/usr/sbin/nologin' >> "$W/passwd"; echo 'systemd-resolve:x:991:' >> "$W/group"
mount --bind "$W/passwd" /etc/passwd; mount --bind "$W/group" /etc/group
printf 'nameserver 192.0.2.53\n' > "$W/resolv.conf"; mount --bind "$W/resolv.conf" /etc/resolv.conf
chown 991:991 /run/systemd/resolve
dbus-daemon --config-file="$W/bus.conf" --nofork --nopidfile 2>"$W/dbus.log" & PIDS+=($!)
ip link set lo up
for _ in $(seq 50); do [ -S /run/dbus/system_bus_socket ] && break; sleep 0.1; done
"$W/pkg/lib/systemd/systemd-resolved" 2>"$W/resolved.log" & PIDS+=($!)
for _ in $(seq 100); do busctl status org.freedesktop.resolve1 >/dev/null 2>&1 && break; sleep 0.1; done
RESOLVECTL="$W/pkg/usr/bin/resolvectl"
APPLIED="$RESOLVECTL status \$VPNSE_IFNAME --no-pager > $W/applied.txt; cat $W/applied.txt;
  [ \"\$VPNSE_BACKEND\" = resolved ] &&
  grep -q 'DNS Servers: 10.8.0.1 fd00:8::1' $W/applied.txt &&
  grep -q 'DNS Domain: corp.example ~.' $W/applied.txt && grep -q '+DefaultRoute' $W/applied.txt &&
  busctl get-property org.freedesktop.resolve1 /org/freedesktop/resolve1/link/_3\$VPNSE_IFINDEX org.freedesktop.resolve1.Link DefaultRoute | grep >/dev/null true"
REVERTED="$RESOLVECTL status \$VPNSE_IFNAME --no-pager > $W/reverted.txt; ! grep -q '10.8.0.1' $W/reverted.txt && ! grep -q 'corp.example' $W/reverted.txt"
# Backend auto with an explicit bus address: exercises the factory's resolve1 detection.
"$PROBE" --backend auto --bus unix:path=/run/dbus/system_bus_socket --ifname vpnsepd1 \
    --dns 10.8.0.1 --dns fd00:8::1 --search corp.example --routing . --default-route \
    --check-applied "$APPLIED" --check-reverted "$REVERTED" \
    || { echo "FAIL resolved"; cat "$W/resolved.log" >&2; exit 1; }
echo "PASS resolved: SetLinkDNS/SetLinkDomains/SetLinkDefaultRoute applied and RevertLink reverted"
INNER
    ip netns exec "$NS" unshare -m --propagation private bash "$W/resolved.sh" "$W" "$PROBE"
fi

[ "$(md5sum /etc/resolv.conf | cut -d' ' -f1)" = "$HOST_MD5" ] || { echo "FAIL host /etc/resolv.conf changed"; exit 1; }
skip_finish
echo "PASS platform_dns"
