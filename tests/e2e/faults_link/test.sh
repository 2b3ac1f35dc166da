#!/usr/bin/env bash
# Faults on the path to the server (topology and checks: README.md beside this file): the uplink flaps,
# packets are lost, the default route changes, and another program rewrites resolv.conf.
# FAULTS_FLAP_S and FAULTS_TRANSFER_MIB lengthen the run (docs/reliability.md: the long run).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" faults_link
# shellcheck source=../../support/faults.sh
. "$root/tests/support/faults.sh"

flap_s=${FAULTS_FLAP_S:-5}
transfer_mib=${FAULTS_TRANSFER_MIB:-16}
a=''; unique_fixture_name a fL  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-faults-link.XXXXXX)
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
report() { echo "   RESULT $*"; }
# A default route on the uplink, as a real host has (the server itself is on-link).
ip netns exec "$ns" ip route add default via "$SERVER_IP" dev "$CLIENT_IF"
daemon_profile "$work" office "$work/a.env" $'[reconnect]\ninitial_delay_ms = 200\nmax_delay_ms = 2000'
e2e_daemon_start "$work" "$ns"
before_connect=$(host_snapshot)

step "connect"
ctl connect office >/dev/null || fail "connect office"
established=$(host_snapshot)
session_of() { tunnel_field office session_name; }

step "link flap: the uplink down for ${flap_s} s, then up"
session_before=$(session_of)
ip netns exec "$ns" ip link set "$CLIENT_IF" down
sleep "$flap_s"
t0=$(now_ms)
ip netns exec "$ns" ip link set "$CLIENT_IF" up
# The default route went with the link; a host's network manager puts it back, so does this test.
wait_until 5 ip netns exec "$ns" ip route replace default via "$SERVER_IP" dev "$CLIENT_IF" ||
    fail "default route back"
wait_state office established 60 || fail "not established after the flap ($(tunnel_field office state))"
wait_until 30 ip netns exec "$ns" ping -c 1 -W 1 "$VPN_GATEWAY" >/dev/null || fail "no ping after the flap"
flap_session=kept
[ "$(session_of)" = "$session_before" ] || flap_session=new
report "link flap ${flap_s} s: traffic through the tunnel again $(($(now_ms) - t0)) ms after link up ($flap_session session)"
secs=$(echo_transfer 1) || fail "a new TCP connection through the tunnel after the flap"
wait_until 10 host_is "$established" ||
    { diff <(echo "$established") <(host_snapshot) >&2 || true; fail "routes/rules/DNS differ after the flap"; }

for loss in 1 10; do
    step "packet loss ${loss} % both ways on the path to the server: a ${transfer_mib} MiB echo arrives intact"
    ip netns exec "$ns" nft -f - <<NFT
table inet vsefault {
    chain out { type filter hook output priority 0; ip daddr $SERVER_IP numgen random mod 100 < $loss drop; }
    chain in { type filter hook input priority 0; ip saddr $SERVER_IP numgen random mod 100 < $loss drop; }
}
NFT
    secs=$(echo_transfer "$transfer_mib") || { ip netns exec "$ns" nft delete table inet vsefault; fail "transfer at $loss % loss"; }
    ip netns exec "$ns" nft delete table inet vsefault
    report "loss ${loss} %: ${transfer_mib} MiB each way intact in ${secs} s, state $(tunnel_field office state)"
done

step "the default route changes to a new gateway: vpnsed logs in again at once, its routes stay"
wait_state office established 30 || fail "not established before the route change"
session_before=$(session_of)
t0=$(now_ms)
new_gateway=${CLIENT_IP%.*}.3
ip netns exec "$ns" ip neigh replace "$new_gateway" lladdr "$(ip netns exec "$SERVER_NS" cat "/sys/class/net/$SERVER_IF/address")" dev "$CLIENT_IF"
ip netns exec "$ns" ip route replace default via "$new_gateway" dev "$CLIENT_IF"
relogged() { state_is office established && [ "$(session_of)" != "$session_before" ]; }
wait_until 10 relogged || fail "no prompt re-login after the default route changed ($(tunnel_field office state))"
report "default route change: new session established $(($(now_ms) - t0)) ms later"
ip netns exec "$ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "ping after the default route change"
ip netns exec "$ns" ip route replace default via "$SERVER_IP" dev "$CLIENT_IF"
ip netns exec "$ns" ip neigh del "$new_gateway" dev "$CLIENT_IF"
wait_state office established 30 || fail "not established after the default route came back"
wait_until 10 host_is "$established" ||
    { diff <(echo "$established") <(host_snapshot) >&2 || true; fail "routes/rules/DNS differ after the route change"; }

step "another program rewrites resolv.conf while connected: vpnsed puts the tunnel's back"
tunnel_resolv=$(nsenter -t "$DAEMON_PID" -m cat /etc/resolv.conf)
resolv_is_tunnels() { [ "$(nsenter -t "$DAEMON_PID" -m cat /etc/resolv.conf)" = "$tunnel_resolv" ]; }
t0=$(now_ms)
nsenter -t "$DAEMON_PID" -m sh -c 'printf "nameserver 192.0.2.99\n" > /etc/resolv.conf.dhcp && mv /etc/resolv.conf.dhcp /etc/resolv.conf'
wait_until 5 resolv_is_tunnels || fail "resolv.conf replaced by rename was not put back"
report "resolv.conf replaced (rename): the tunnel's put back $(($(now_ms) - t0)) ms later"
t0=$(now_ms)
nsenter -t "$DAEMON_PID" -m sh -c 'printf "nameserver 192.0.2.98\n" > /etc/resolv.conf'
wait_until 5 resolv_is_tunnels || fail "resolv.conf rewritten in place was not put back"
report "resolv.conf rewritten in place: the tunnel's put back $(($(now_ms) - t0)) ms later"

step "disconnect: the host as before the connect"
ctl disconnect office >/dev/null || fail "disconnect"
wait_until 10 host_is "$before_connect" ||
    { diff <(echo "$before_connect") <(host_snapshot) >&2 || true; fail "host not restored after disconnect"; }
ip netns exec "$ns" ip route del default
e2e_daemon_stop_clean
echo "PASS faults_link"
