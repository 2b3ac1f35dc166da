#!/usr/bin/env bash
# The D-Bus API end to end (topology and checks: README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" dbus
# shellcheck source=../../support/system-bus.sh
. "$root/tests/support/system-bus.sh"

for tool in dbus-daemon busctl gdbus runuser useradd /usr/lib/polkit-1/polkitd; do
    command -v "$tool" >/dev/null || skip_or_fail "dbus: needs $tool (scripts/deps)"
done

name=''; unique_fixture_name name db  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-dbus.XXXXXX)
# The bus socket lives here; the test users must reach it.
chmod 0711 "$work"
group=vsg-$name member=vsm-$name granted=vsp-$name
monitor_pids=()
cleanup() {
    set +e
    daemon_stop
    for p in "${monitor_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    system_bus_stop
    "$fixture" down "$name" >/dev/null 2>&1
    userdel "$member" 2>/dev/null
    userdel "$granted" 2>/dev/null
    groupdel "$group" 2>/dev/null
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

groupadd --system "$group"
useradd --system --no-create-home --shell /usr/sbin/nologin --groups "$group" "$member"
useradd --system --no-create-home --shell /usr/sbin/nologin "$granted"

tracked_fixture_up "$name" auto > "$work/fixture.env"
# shellcheck disable=SC1090
. "$work/fixture.env"
ns=$CLIENT_NS
daemon_profile "$work" office "$work/fixture.env"
daemon_profile "$work" badpass "$work/fixture.env"
sed -i 's/^password = .*/password = "wrong-password"/' "$work/profiles/badpass.toml"

step "a private system bus with Debian's policy and ours, and polkitd with one rule"
mkdir -m 0755 "$work/bus"
system_bus_start "$work/bus" "$root/daemon/dbus/org.vpnse.Daemon.conf" || fail "dbus-daemon did not start"
track_pid "$SYSTEM_BUS_PID"
cat > "$work/50-vpnse-test.rules" <<RULES
polkit.addRule(function(action, subject) {
    if (action.id == "org.vpnse.connect" && subject.user == "$granted")
        return polkit.Result.YES;
});
RULES
polkitd_start "$work/bus" "$root/daemon/dbus/org.vpnse.policy" "$work/50-vpnse-test.rules" ||
    fail "polkitd did not start"
track_pid "$POLKITD_PID"

step "only root may own org.vpnse.Daemon"
if runuser -u nobody -- busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
    RequestName su org.vpnse.Daemon 0 > "$work/own.out" 2>&1; then
    fail "nobody could own org.vpnse.Daemon: $(cat "$work/own.out")"
fi
grep -qi "denied\|not allowed" "$work/own.out" || fail "unexpected refusal: $(cat "$work/own.out")"

DAEMON_GROUP=$group e2e_daemon_start "$work" "$ns"
for i in $(seq 1 50); do
    busctl --system status org.vpnse.Daemon >/dev/null 2>&1 && break
    sleep 0.1
done
owner_pid=$(busctl --system status org.vpnse.Daemon | sed -n 's/^PID=//p')
[ -n "$owner_pid" ] || fail "vpnsed does not own org.vpnse.Daemon"

call() { busctl --system call org.vpnse.Daemon "$@"; }
gcall() { gdbus call --system --dest org.vpnse.Daemon "$@"; }
tunnel_property() { busctl --system get-property org.vpnse.Daemon /org/vpnse/Tunnel/office org.vpnse.Tunnel1 "$1"; }

step "reads: Version, ListProfiles, the ObjectManager"
call /org/vpnse/Daemon org.vpnse.Daemon1 Version | grep -q '"vpnsed"' || fail "Version"
call /org/vpnse/Daemon org.vpnse.Daemon1 ListProfiles | grep -q '"office"' || fail "ListProfiles lacks office"
managed=$(call /org/vpnse org.freedesktop.DBus.ObjectManager GetManagedObjects)
for path in /org/vpnse/Tunnel/office /org/vpnse/Tunnel/badpass; do
    grep -q "$path" <<< "$managed" || fail "GetManagedObjects lacks $path"
done
[ "$(tunnel_property State)" = 's "disconnected"' ] || fail "State before connect: $(tunnel_property State)"

step "the introspection XML in the repository is what the objects say"
for pair in Daemon:/org/vpnse/Daemon Tunnel:/org/vpnse/Tunnel/office; do
    interface=org.vpnse.${pair%%:*}1
    gdbus introspect --system --dest org.vpnse.Daemon --object-path "${pair#*:}" --xml > "$work/live.xml" ||
        fail "Introspect ${pair#*:}"
    python3 - "$work/live.xml" "$root/daemon/dbus/$interface.xml" "$interface" <<'PY' || fail "$interface.xml differs from the live object"
import sys, xml.etree.ElementTree as ET
def members(path, name):
    iface = [i for i in ET.parse(path).getroot().iter("interface") if i.get("name") == name]
    assert len(iface) == 1, f"{path}: no interface {name}"
    out = set()
    for m in iface[0]:
        if m.tag == "method":
            out.add(("method", m.get("name"), tuple((a.get("direction", "in"), a.get("type")) for a in m.iter("arg"))))
        elif m.tag in ("property", "signal"):
            out.add((m.tag, m.get("name"), m.get("type"), m.get("access")))
    return out
live, repo = members(sys.argv[1], sys.argv[3]), members(sys.argv[2], sys.argv[3])
for extra in sorted(map(str, live - repo)):
    print("only on the bus:", extra)
for extra in sorted(map(str, repo - live)):
    print("only in the file:", extra)
sys.exit(live != repo)
PY
done

step "Connect sbu office true 60000, watched by two subscribers"
gdbus monitor --system --dest org.vpnse.Daemon > "$work/gdbus-monitor.log" 2>&1 &
monitor_pids+=($!)
busctl --system monitor org.vpnse.Daemon > "$work/busctl-monitor.log" 2>&1 &
monitor_pids+=($!)
sleep 0.5
connected=$(call /org/vpnse/Daemon org.vpnse.Daemon1 Connect sbu office true 60000) || fail "Connect office"
[ "$connected" = 'o "/org/vpnse/Tunnel/office"' ] || fail "Connect answered $connected"
[ "$(tunnel_property State)" = 's "established"' ] || fail "State after connect: $(tunnel_property State)"
address=$(tunnel_property Address | sed 's/^s "\(.*\)"$/\1/')
python3 -c 'import ipaddress,sys; a,lo,hi=map(ipaddress.ip_address,sys.argv[1:]); sys.exit(not lo<=a<=hi)' \
    "$address" "$DHCP_POOL_START" "$DHCP_POOL_END" || fail "Address $address outside $DHCP_POOL_START-$DHCP_POOL_END"
[ "$(tunnel_property Gateway)" = "s \"$VPN_GATEWAY\"" ] || fail "Gateway: $(tunnel_property Gateway)"
ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping the gateway through the tunnel"
# The states arrive in order through PropertiesChanged.
states=''
for i in $(seq 1 30); do
    states=$(grep -o "'State': <'[a-z]*'>" "$work/gdbus-monitor.log" | sed "s/.*<'\(.*\)'>/\1/" | paste -sd' ')
    [[ $states == *established* ]] && break
    sleep 0.1
done
[[ $states == "connecting authenticating configuring established" ]] ||
    fail "PropertiesChanged states: '$states' (want connecting authenticating configuring established)"
grep -q '"established"' "$work/busctl-monitor.log" || fail "busctl monitor did not show the state change"

step "counters move in PropertiesChanged at the stats interval"
for i in $(seq 1 40); do
    grep -q "'BytesIn': <uint64" "$work/gdbus-monitor.log" && grep -q "'Uptime'" "$work/gdbus-monitor.log" && break
    sleep 0.25
done
grep -q "'Uptime'" "$work/gdbus-monitor.log" || fail "no Uptime in PropertiesChanged within 10 s"

step "Disconnect"
call /org/vpnse/Daemon org.vpnse.Daemon1 Disconnect s office >/dev/null || fail "Disconnect office"
for i in $(seq 1 50); do
    [ "$(tunnel_property State)" = 's "disconnected"' ] && break
    sleep 0.1
done
[ "$(tunnel_property State)" = 's "disconnected"' ] || fail "State after Disconnect: $(tunnel_property State)"

step "a wrong password is org.vpnse.Error.AuthFailed"
if gcall --object-path /org/vpnse/Daemon --method org.vpnse.Daemon1.Connect badpass true 30000 \
    > "$work/badpass.out" 2>&1; then
    fail "badpass connected"
fi
grep -q "org.vpnse.Error.AuthFailed" "$work/badpass.out" || fail "badpass: $(cat "$work/badpass.out")"
last_error=$(busctl --system get-property org.vpnse.Daemon /org/vpnse/Tunnel/badpass org.vpnse.Tunnel1 LastError)
[[ $last_error == '(uss) 9 "auth_failed"'* ]] || fail "badpass LastError: $last_error"
gcall --object-path /org/vpnse/Tunnel/badpass --method org.vpnse.Tunnel1.Disconnect >/dev/null 2>&1 || true

step "nobody may read but not connect"
runuser -u nobody -- busctl --system call org.vpnse.Daemon /org/vpnse/Daemon org.vpnse.Daemon1 ListProfiles \
    >/dev/null || fail "nobody cannot ListProfiles"
runuser -u nobody -- busctl --system get-property org.vpnse.Daemon /org/vpnse/Tunnel/office org.vpnse.Tunnel1 \
    State >/dev/null || fail "nobody cannot read State"
if runuser -u nobody -- gdbus call --system --dest org.vpnse.Daemon --object-path /org/vpnse/Daemon \
    --method org.vpnse.Daemon1.Connect office true 60000 > "$work/nobody.out" 2>&1; then
    fail "nobody could connect"
fi
grep -q "org.vpnse.Error.PermissionDenied" "$work/nobody.out" || fail "nobody: $(cat "$work/nobody.out")"

step "a member of $group may connect (Tunnel1.Connect) and disconnect"
runuser -u "$member" -- gdbus call --system --dest org.vpnse.Daemon --object-path /org/vpnse/Tunnel/office \
    --method org.vpnse.Tunnel1.Connect true 60000 > "$work/member.out" 2>&1 ||
    fail "member could not connect: $(cat "$work/member.out")"
[ "$(tunnel_property State)" = 's "established"' ] || fail "State after the member's connect"
runuser -u "$member" -- gdbus call --system --dest org.vpnse.Daemon --object-path /org/vpnse/Daemon \
    --method org.vpnse.Daemon1.DisconnectAll > "$work/member.out" 2>&1 ||
    fail "member could not disconnect: $(cat "$work/member.out")"
grep -q "'office'" "$work/member.out" || fail "DisconnectAll answered $(cat "$work/member.out")"

step "polkit grants $granted (not in $group) org.vpnse.connect, and nothing more"
runuser -u "$granted" -- gdbus call --system --dest org.vpnse.Daemon --object-path /org/vpnse/Daemon \
    --method org.vpnse.Daemon1.Connect office true 60000 > "$work/granted.out" 2>&1 ||
    fail "the polkit-granted user could not connect: $(cat "$work/granted.out")"
[ "$(tunnel_property State)" = 's "established"' ] || fail "State after the polkit-granted connect"
if runuser -u "$granted" -- gdbus call --system --dest org.vpnse.Daemon --object-path /org/vpnse/Daemon \
    --method org.vpnse.Daemon1.ReloadProfiles > "$work/granted.out" 2>&1; then
    fail "org.vpnse.connect allowed ReloadProfiles"
fi
grep -q "org.vpnse.Error.PermissionDenied" "$work/granted.out" || fail "reload: $(cat "$work/granted.out")"
runuser -u "$granted" -- gdbus call --system --dest org.vpnse.Daemon --object-path /org/vpnse/Daemon \
    --method org.vpnse.Daemon1.Disconnect office >/dev/null || fail "the polkit-granted user could not disconnect"

step "the same decision on the control socket: polkit lets $granted connect with vpnsectl, not nobody"
ctl_as() {
    local user=$1
    shift
    ip netns exec "$ns" runuser -u "$user" -- "$VPNSE_BUILD_DIR/ctl/vpnsectl" --socket "$DAEMON_SOCKET" "$@"
}
ctl_as "$granted" connect office > "$work/granted-ctl.out" 2>&1 ||
    fail "vpnsectl connect as the polkit-granted user: $(cat "$work/granted-ctl.out")"
ctl_as "$granted" disconnect office > "$work/granted-ctl.out" 2>&1 ||
    fail "vpnsectl disconnect as the polkit-granted user: $(cat "$work/granted-ctl.out")"
if ctl_as nobody connect office > "$work/nobody-ctl.out" 2>&1; then
    fail "nobody could connect through the socket"
fi
grep -q "permission denied" "$work/nobody-ctl.out" || fail "nobody on the socket: $(cat "$work/nobody-ctl.out")"

step "ReloadProfiles by root announces a new profile's object"
daemon_profile "$work" third "$work/fixture.env"
call /org/vpnse/Daemon org.vpnse.Daemon1 ReloadProfiles | grep -q '"third"' || fail "ReloadProfiles"
call /org/vpnse org.freedesktop.DBus.ObjectManager GetManagedObjects | grep -q /org/vpnse/Tunnel/third ||
    fail "no object for the new profile"
# The signal went out with the object; busctl prints it when it gets to it (under ASan and load: after the grep).
for i in $(seq 1 50); do
    grep -q "InterfacesAdded" "$work/busctl-monitor.log" && break
    sleep 0.1
done
grep -q "InterfacesAdded" "$work/busctl-monitor.log" || fail "no InterfacesAdded for the new profile within 5 s"

step "vpnsed stops cleanly with D-Bus clients around (ASan build: nothing reported)"
e2e_daemon_stop_clean

step "pass"
