#!/usr/bin/env bash
# NetworkManager drives nm-vpnse-service against the real SoftEther server (README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" networkmanager
# shellcheck source=../../support/system-bus.sh
. "$root/tests/support/system-bus.sh"

service=$VPNSE_BUILD_DIR/networkmanager/nm-vpnse-service
for tool in NetworkManager nmcli dbus-daemon; do
    command -v "$tool" >/dev/null || skip_or_fail "networkmanager: needs $tool (scripts/deps)"
done
[ -x "$service" ] || skip_or_fail "networkmanager: $service not built"

name=''; unique_fixture_name name nm  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-nm.XXXXXX)
NM_PID=''
fail() {
    echo "FAIL: $*" >&2
    echo "--- NetworkManager log (tail)" >&2
    tail -n 80 "$work/nm.log" >&2 || true
    exit 1
}
cleanup() {
    set +e
    if [ -n "$NM_PID" ]; then
        nmcli connection down office >/dev/null 2>&1
        kill "$NM_PID" 2>/dev/null
        for i in $(seq 1 50); do kill -0 "$NM_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$NM_PID" 2>/dev/null
    fi
    # The plugin quits when NM leaves the bus; a plugin that did not is a bug, and check_nothing_left names it.
    system_bus_stop
    "$fixture" down "$name" >/dev/null 2>&1
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

tracked_fixture_up "$name" auto > "$work/fixture.env"
# shellcheck disable=SC1090
. "$work/fixture.env"
ns=$CLIENT_NS

step "a private system bus, and NetworkManager in $ns"
mkdir -p "$work/bus" "$work/vpn" "$work/conns" "$work/varlib" "$work/conf.d" "$work/etc-up" "$work/etc-work"
system_bus_start "$work/bus" /usr/share/dbus-1/system.d/org.freedesktop.NetworkManager.conf \
    "$root/networkmanager/nm-vpnse-service.conf" || fail "dbus-daemon did not start"
track_pid "$SYSTEM_BUS_PID"
# NM only reads .name files owned by root and not world-writable.
sed -e "s|^program=.*|program=$service|" \
    -e "s|^plugin=.*|plugin=$VPNSE_BUILD_DIR/networkmanager/libnm-vpn-plugin-vpnse.so|" \
    -e "s|^auth-dialog=.*|auth-dialog=$VPNSE_BUILD_DIR/networkmanager/nm-vpnse-auth-dialog|" \
    "$VPNSE_BUILD_DIR/networkmanager/nm-vpnse-service.name" > "$work/vpn/nm-vpnse-service.name"
chmod 0644 "$work/vpn/nm-vpnse-service.name"
cat > "$work/NetworkManager.conf" <<CONF
[main]
plugins=keyfile
auth-polkit=false
no-auto-default=*
dns=default
rc-manager=file
[keyfile]
path=$work/conns
unmanaged-devices=except:interface-name:$CLIENT_IF;except:type:tun
[logging]
level=INFO
domains=DEFAULT,VPN:DEBUG,VPN_PLUGIN:DEBUG
CONF
ip netns exec "$ns" unshare -m --propagation private sh -c '
    w=$1
    mount -t tmpfs vpnse-nm-run /run && mkdir -p /run/NetworkManager || exit 1
    mount -o remount,ro /sys || exit 1                        # no udev: NM takes devices as initialised
    mount --bind "$w/varlib" /var/lib/NetworkManager || exit 1
    mount --bind "$w/vpn" /usr/lib/NetworkManager/VPN || exit 1
    mount -t overlay vpnse-nm-etc -o "lowerdir=/etc,upperdir=$w/etc-up,workdir=$w/etc-work" /etc || exit 1
    printf "nameserver 192.0.2.53\n" > /etc/resolv.conf
    exec NetworkManager --debug --config="$w/NetworkManager.conf" --config-dir="$w/conf.d" \
        --system-config-dir="$w/conf.d" --intern-config="$w/intern.conf" --state-file="$w/nm.state" \
        --pid-file=/run/NetworkManager/NM.pid' vpnse-nm "$work" > "$work/nm.log" 2>&1 &
NM_PID=$!
track_pid "$NM_PID"
for i in $(seq 1 100); do
    nmcli -t general status >/dev/null 2>&1 && break
    kill -0 "$NM_PID" 2>/dev/null || fail "NetworkManager exited"
    sleep 0.1
done
nm_resolv() { nsenter -t "$NM_PID" -m cat /etc/resolv.conf; }
# nmcli in NM's mount namespace, where the plugin's .name file is: it resolves "vpnse" to the service type.
nmcli() { nsenter -t "$NM_PID" -m -- nmcli "$@"; }

step "the fixture's uplink as NM's base connection (its default route: a VPN needs a source connection)"
nmcli connection add type ethernet ifname "$CLIENT_IF" con-name base ipv4.method manual \
    ipv4.addresses "$CLIENT_IP/24" ipv4.gateway "$SERVER_IP" ipv6.method disabled >/dev/null ||
    fail "add the base connection"
timeout 30 nmcli connection up base >/dev/null || fail "activate the base connection"

step "nmcli connection add type vpn vpn-type vpnse"
nmcli connection add type vpn con-name office vpn-type vpnse ipv6.method disabled \
    vpn.data "host=$SERVER_IP, port=$SERVER_PORT, hub=$HUB, user=$USER, verify=fingerprint, fingerprint=$SERVER_CERT_SHA256, password-flags=0" \
    vpn.secrets "password=$PASSWORD" >/dev/null || fail "add the vpnse connection"
grep -rq "service-type=org.freedesktop.NetworkManager.vpnse" "$work/conns" ||
    { ls -la "$work/conns" >&2; cat "$work/conns/"* >&2; fail "the keyfile does not name the vpnse service"; }

step "nm-connection-editor (GTK 3) edits the office connection with the vpnse page"
# The real editor, on the private bus, in NM's mount namespace (where the .name file is), under Xvfb.
uuid=$(nmcli -g connection.uuid connection show office)
artifacts=$VPNSE_BUILD_DIR/artifacts
mkdir -p "$artifacts"
nsenter -t "$NM_PID" -m -- env DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" NO_AT_BRIDGE=1 \
    xvfb-run -a -s "-screen 0 1000x900x24" dbus-run-session -- sh -c '
    nm-connection-editor --edit="$1" > "$2/nce.log" 2>&1 &
    editor=$!
    found=no
    for _ in $(seq 1 100); do
        if xwininfo -root -tree | grep -q "Editing office"; then found=yes; break; fi
        sleep 0.1
    done
    sleep 1
    import -window root "$3"
    kill "$editor" 2>/dev/null; wait "$editor" 2>/dev/null
    [ "$found" = yes ]' nce "$uuid" "$work" "$artifacts/nm-connection-editor-gtk3.png" ||
    fail "nm-connection-editor did not open 'Editing office': $(cat "$work/nce.log")"
if grep -iE "could not load|cannot load|failed to load|unknown vpn" "$work/nce.log"; then
    fail "nm-connection-editor could not load the vpnse plugin (above)"
fi
[ -s "$artifacts/nm-connection-editor-gtk3.png" ] || fail "no screenshot of nm-connection-editor"
echo "   screenshot: $artifacts/nm-connection-editor-gtk3.png"

step "nmcli connection up office"
timeout 90 nmcli connection up office > "$work/up.out" 2>&1 || { cat "$work/up.out" >&2; fail "connection up"; }
nmcli -t -f IP4 connection show office > "$work/ip4"
cat "$work/ip4"
address=$(sed -n 's|^IP4.ADDRESS\[1\]:\(.*\)/24$|\1|p' "$work/ip4")
[ -n "$address" ] || fail "no /24 address in IP4.ADDRESS"
python3 -c 'import ipaddress,sys; a,lo,hi=map(ipaddress.ip_address,sys.argv[1:]); sys.exit(not lo<=a<=hi)' \
    "$address" "$DHCP_POOL_START" "$DHCP_POOL_END" || fail "address $address outside $DHCP_POOL_START-$DHCP_POOL_END"
grep -q "^IP4.DNS\[1\]:$DNS$" "$work/ip4" || fail "IP4.DNS lacks $DNS"
grep -q "dst = $PUSHED_ROUTE" "$work/ip4" || fail "IP4.ROUTE lacks the pushed classless route $PUSHED_ROUTE"
# The plugin's TUN: vse-nm and the connection uuid's first hex digits (networkmanager/connection).
tundev=$(ip -n "$ns" -br link | awk '/^vse-nm/ {print $1}')
[[ $tundev == vse-nm* ]] || fail "no TUN of the plugin in $ns"
ip -n "$ns" -br addr show "$tundev" | grep -q "$address/24" || fail "NM did not put $address on $tundev"
ip -n "$ns" route show "$PUSHED_ROUTE" | grep -q "dev $tundev" || fail "NM did not install $PUSHED_ROUTE on $tundev"
nm_resolv > "$work/resolv.up"
grep -q "^nameserver $DNS$" "$work/resolv.up" || { cat "$work/resolv.up" >&2; fail "NM did not write the tunnel DNS"; }

step "traffic through the tunnel"
ip netns exec "$ns" ping -c 3 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping the gateway through the tunnel"
# 4 MiB to the iperf3 host behind the hub (the pushed route) and back as a checksum.
head -c $((4 << 20)) /dev/urandom > "$work/blob"
want=$(sha256sum < "$work/blob" | cut -d' ' -f1)
ip netns exec "$SERVER_NS" sh -c 'exec timeout 30 python3 -c "
import hashlib, socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5301)); s.listen(1); print(\"ready\", flush=True)
c, _ = s.accept(); h = hashlib.sha256()
while True:
    b = c.recv(65536)
    if not b: break
    h.update(b)
c.sendall(h.hexdigest().encode())
" "$1"' sink "$BRIDGE_HOST_IP" > "$work/sink.out" &
sink=$!
for i in $(seq 1 50); do grep -q ready "$work/sink.out" 2>/dev/null && break; sleep 0.1; done
got=$(ip netns exec "$ns" timeout 60 python3 -c "
import socket, sys
s = socket.create_connection((sys.argv[1], 5301)); s.sendall(open(sys.argv[2], 'rb').read())
s.shutdown(socket.SHUT_WR); print(s.recv(100).decode())
" "$BRIDGE_HOST_IP" "$work/blob") || fail "the TCP transfer through the tunnel"
wait "$sink" || true
[ "$got" = "$want" ] || fail "the 4 MiB arrived damaged ($got != $want)"

step "the server restarts: the plugin logs in again, NM keeps the connection"
"$fixture" restart-server "$name" >/dev/null 2>&1 || fail "restart the server"
back=''
for i in $(seq 1 60); do
    if ip netns exec "$ns" ping -c 1 -W 1 "$VPN_GATEWAY" >/dev/null 2>&1; then back=1; break; fi
    sleep 1
done
[ -n "$back" ] || fail "no ping through the tunnel within 60 s of the server restart"
[ "$(nmcli -g GENERAL.STATE connection show office)" = activated ] || fail "office is not active after the restart"
grep -q "nm-vpnse.*reconnecting" "$work/nm.log" || fail "the plugin did not report the lost session"

step "nmcli connection down office"
timeout 30 nmcli connection down office >/dev/null || fail "connection down"
for i in $(seq 1 50); do ip -n "$ns" link show "$tundev" >/dev/null 2>&1 || break; sleep 0.1; done
ip -n "$ns" link show "$tundev" >/dev/null 2>&1 && fail "$tundev is still there"
ip -n "$ns" route | grep -q "$PUSHED_ROUTE" && fail "the pushed route is still there"
nm_resolv | grep -q "^nameserver $DNS$" && fail "the tunnel DNS is still in resolv.conf"

step "nmcli connection import type vpnse file <profile>.toml, connect it, export it"
daemon_profile "$work" imported "$work/fixture.env"
nmcli connection import type vpnse file "$work/profiles/imported.toml" > "$work/import.out" 2>&1 ||
    fail "import: $(cat "$work/import.out")"
timeout 90 nmcli connection up imported > "$work/up.out" 2>&1 || { cat "$work/up.out" >&2; fail "up imported"; }
ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping through the imported connection"
timeout 30 nmcli connection down imported >/dev/null || fail "down imported"
nmcli connection export imported "$work/exported.toml" > "$work/export.out" 2>&1 ||
    fail "export: $(cat "$work/export.out")"
grep -q "^host = '$SERVER_IP'\|^host = \"$SERVER_IP\"" "$work/exported.toml" ||
    { cat "$work/exported.toml" >&2; fail "the export lacks the host"; }
grep -q "$PASSWORD" "$work/exported.toml" && fail "the export holds the password"
echo '[server]' > "$work/bad.toml"
if nmcli connection import type vpnse file "$work/bad.toml" > "$work/bad.out" 2>&1; then
    fail "an invalid profile was imported"
fi
grep -q "server.host: is required" "$work/bad.out" || fail "bad import: $(cat "$work/bad.out")"

step "nmcli connection import type vpnse file <account>.vpn (written by the official client)"
"$root/tests/support/vpn-account-files" "$work/accounts" --server "$SERVER_IP:$SERVER_PORT" --hub "$HUB" \
    --user "$USER" --password "$PASSWORD" --anonymous-user "$ANON_USER" >/dev/null || fail "vpn-account-files"
nmcli connection import type vpnse file "$work/accounts/password.vpn" > "$work/import-vpn.out" 2>&1 ||
    fail "import .vpn: $(cat "$work/import-vpn.out")"
timeout 90 nmcli connection up password > "$work/up.out" 2>&1 || { cat "$work/up.out" >&2; fail "up password"; }
ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping through the imported .vpn"
timeout 30 nmcli connection down password >/dev/null || fail "down password"

step "a password NM never stores: nmcli --ask asks for it (through nm-vpnse-auth-dialog)"
nmcli connection add type vpn con-name askme vpn-type vpnse ipv6.method disabled \
    vpn.data "host=$SERVER_IP, hub=$HUB, user=$USER, verify=fingerprint, fingerprint=$SERVER_CERT_SHA256, password-flags=2" \
    >/dev/null || fail "add askme"
grep -q "$PASSWORD" "$work/conns/askme.nmconnection" && fail "askme's keyfile holds a password"
if timeout 60 nmcli connection up askme > "$work/noask.out" 2>&1 < /dev/null; then
    fail "askme connected without a password"
fi
# nmcli only acts as a secret agent on a terminal: `script` gives it one, and types the password into it.
# The typist waits for the prompt, types, and holds the terminal open until nmcli is done.
typist() {
    for i in $(seq 1 300); do grep -qi "password" "$work/ask.out" 2>/dev/null && break; sleep 0.1; done
    printf '%s\n' "$PASSWORD"
    for i in $(seq 1 600); do grep -qi "activated\|error" "$work/ask.out" 2>/dev/null && break; sleep 0.1; done
}
: > "$work/ask.out"
typist |
    NM_PID=$NM_PID timeout 90 script -qec 'nsenter -t "$NM_PID" -m -- nmcli --ask connection up askme' /dev/null \
        > "$work/ask.out" 2>&1 || { cat "$work/ask.out" >&2; fail "nmcli --ask connection up askme"; }
grep -qi "password" "$work/ask.out" || { cat "$work/ask.out" >&2; fail "nmcli did not ask for the password"; }
ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping through askme"
timeout 30 nmcli connection down askme >/dev/null || fail "down askme"
grep -q "$PASSWORD" "$work/conns/askme.nmconnection" && fail "the password was written to askme's keyfile"

step "a wrong password fails with NM's login failure and our reason"
nmcli connection add type vpn con-name badpass vpn-type vpnse ipv6.method disabled \
    vpn.data "host=$SERVER_IP, hub=$HUB, user=$USER, verify=fingerprint, fingerprint=$SERVER_CERT_SHA256, password-flags=0" \
    vpn.secrets "password=wrong-password" >/dev/null || fail "add badpass"
if timeout 60 nmcli connection up badpass > "$work/badpass.out" 2>&1; then fail "badpass connected"; fi
cat "$work/badpass.out"
# NM hears login-failed as the last reason. What nmcli then says depends on NM 1.42's timing ("Invalid
# secrets" after asking again for the password, or "The VPN service stopped unexpectedly"), so the reason
# NM recorded is what is checked.
last_failure=$(grep -o 'badpass.*dbus: failure: [a-z-]*' "$work/nm.log" | tail -1)
[[ $last_failure == *"failure: login-failed" ]] || fail "NM's last failure reason: '$last_failure'"
grep -q "auth_failed: authentication failed" "$work/nm.log" || fail "the plugin's reason is not in NM's log"

step "pass"
