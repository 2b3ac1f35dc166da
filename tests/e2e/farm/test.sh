#!/usr/bin/env bash
# Server farm: vpnsed logs in at a cluster controller and is redirected to the member (README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" farm

ctl_name=''; unique_fixture_name ctl_name fC  # tests/support/names.sh
mem_name=''; unique_fixture_name mem_name fM
work=$(mktemp -d /tmp/vpnse-e2e-farm.XXXXXX)
cleanup() {
    set +e
    daemon_stop
    "$fixture" down "$mem_name" >/dev/null 2>&1
    "$fixture" down "$ctl_name" >/dev/null 2>&1
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

tracked_fixture_up "$ctl_name" auto > "$work/controller.env"
tracked_fixture_up "$mem_name" auto --client-ns "vse-c-$ctl_name" > "$work/member.env"
# shellcheck disable=SC1090
. "$work/controller.env"
ns=$CLIENT_NS CTL_NS=$SERVER_NS CTL_IP=$SERVER_IP CTL_CLIENT_IP=$CLIENT_IP CTL_SUBNET=${SERVER_IP%.*}.0/24
member_env() { sed -n "s/^$1=//p" "$work/member.env"; }
MEM_NS=$(member_env SERVER_NS) MEM_IP=$(member_env SERVER_IP) MEM_CLIENT_IP=$(member_env CLIENT_IP)
MEM_SUBNET=${MEM_IP%.*}.0/24 MEM_CERT_SHA256=$(member_env SERVER_CERT_SHA256)
# The cluster's admin password: a member logs in to the controller with the controller's admin password.
cluster_password=farm-admin-pw

step "the member reaches the controller through the shared client namespace"
ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
ip -n "$CTL_NS" route add "$MEM_SUBNET" via "$CTL_CLIENT_IP"
ip -n "$MEM_NS" route add "$CTL_SUBNET" via "$MEM_CLIENT_IP"
ip netns exec "$MEM_NS" timeout 5 bash -c "exec 3<>/dev/tcp/$CTL_IP/443" || fail "member cannot reach $CTL_IP:443"

step "cluster: $ctl_name controller only (hands every session to a member), $mem_name member"
"$fixture" vpncmd "$ctl_name" ServerPasswordSet "$cluster_password" >/dev/null || fail "vpncmd ServerPasswordSet"
"$fixture" vpncmd "$ctl_name" "/PASSWORD:$cluster_password" ClusterSettingController /WEIGHT:100 /ONLY:yes \
    >/dev/null || fail "vpncmd ClusterSettingController"
"$fixture" vpncmd "$mem_name" ClusterSettingMember "$CTL_IP:443" "/IP:$MEM_IP" /PORTS:443 \
    "/PASSWORD:$cluster_password" >/dev/null || fail "vpncmd ClusterSettingMember"
members=0
for _ in $(seq 1 100); do
    members=$("$fixture" vpncmd "$ctl_name" "/PASSWORD:$cluster_password" /CSV ClusterMemberList 2>/dev/null |
        grep -c ',Member,' || true)
    [ "$members" -ge 1 ] && break
    sleep 0.2
done
[ "$members" -ge 1 ] || fail "the member never joined the controller"

daemon_profile "$work" farm "$work/controller.env"
e2e_daemon_start "$work" "$ns"

step "connect to the controller: redirected, the session lives on the member"
ctl connect farm --timeout 40 || fail "connect farm"
grep >/dev/null "redirected to a cluster member.*member=$MEM_IP:443" "$work/vpnsed.log" ||
    fail "no 'redirected to a cluster member' to $MEM_IP:443 in the vpnsed log"
session=$(sed -n 's/.*session established session=\([^ ]*\).*/\1/p' "$work/vpnsed.log" | tail -n 1)
[ -n "$session" ] || fail "no 'session established' in the vpnsed log"
# Not SessionList: Debian's vpncmd 5.01 aborts (double free) listing sessions of a cluster hub.
# The member has the hub only while it holds a session (a dynamic hub), and sees the client's member-side address.
hubs=$("$fixture" vpncmd "$mem_name" /CSV HubList) || fail "vpncmd HubList on the member"
echo "$hubs" | grep >/dev/null '^TEST,Online,Dynamic Hub,' || { echo "$hubs"; fail "hub TEST is not on the member"; }
info=$("$fixture" vpncmd "$mem_name" /CSV SessionGet "$session") || fail "vpncmd SessionGet $session on the member"
echo "$info" | grep >/dev/null "^User Name (Authentication),$USER\$" || { echo "$info"; fail "$session is not $USER's"; }
echo "$info" | grep >/dev/null "^Client IP Address,$MEM_CLIENT_IP\$" ||
    { echo "$info"; fail "$session did not come from $MEM_CLIENT_IP (the client side of the member's link)"; }
# The fingerprint the profile pinned (and status shows) stays the controller's.
fp=$(ctl --json status farm | python3 -c 'import json,sys; print(json.load(sys.stdin)["tunnels"][0]["server_fingerprint"])')
[ "$fp" = "$SERVER_CERT_SHA256" ] || fail "status shows fingerprint $fp, the controller's is $SERVER_CERT_SHA256"
[ "$fp" != "$MEM_CERT_SHA256" ] || fail "controller and member share a certificate: the test proves nothing"

step "traffic flows through the member (the hub's SecureNAT runs on the member's dynamic hub)"
ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping $VPN_GATEWAY through the tunnel"

step "disconnect: the session is gone from the member"
ctl disconnect farm || fail "disconnect farm"
# A cleanly closed session stays on the server until its time-out (the hub policy's 20 s) after the last byte
# it received, so that a client may re-attach (softether-protocol.md 11.5); the deadline is past that.
gone=no
deadline=$((SECONDS + 45))
while [ $SECONDS -lt $deadline ]; do
    "$fixture" vpncmd "$mem_name" /CSV SessionGet "$session" >/dev/null 2>&1 || { gone=yes; break; }
    sleep 0.5
done
[ "$gone" = yes ] || fail "$session still on the member 45 s after disconnect (its time-out is 20 s)"
e2e_daemon_stop_clean
echo "PASS farm"
