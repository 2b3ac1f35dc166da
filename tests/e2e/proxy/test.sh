#!/usr/bin/env bash
# vpnsed through a real HTTP proxy (tinyproxy) and real SOCKS5 servers (dante); topology: README.md here.
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" proxy

for tool in tinyproxy danted openssl; do
    command -v "$tool" >/dev/null || skip_or_fail "proxy: needs $tool (scripts/deps: tinyproxy dante-server openssl)"
done

name=''; unique_fixture_name name px  # tests/support/names.sh
client_ns=vse-x-$name
proxy_side=vse-xa$name client_side=vse-xb$name  # ≤ 15 characters
work=$(mktemp -d /tmp/vpnse-e2e-proxy.XXXXXX)
chmod 0755 "$work"  # danted drops to nobody and must reach its config
proxy_pids=()
cleanup() {
    set +e
    daemon_stop
    local p
    for p in "${proxy_pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${proxy_pids[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    ip netns del "$client_ns" 2>/dev/null
    "$fixture" down "$name" >/dev/null 2>&1
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT

tracked_fixture_up "$name" auto > "$work/fixture.env"
# shellcheck disable=SC1090
. "$work/fixture.env"
proxy_ns=$CLIENT_NS
proxy_ip=10.251.$INDEX.1 client_ip=10.251.$INDEX.2

step "topology: $client_ns reaches only the proxies in $proxy_ns"
track_netns "$client_ns"
ip netns add "$client_ns"
ip link add "$proxy_side" netns "$proxy_ns" type veth peer name "$client_side" netns "$client_ns"
ip -n "$proxy_ns" addr add "$proxy_ip/24" dev "$proxy_side"
ip -n "$proxy_ns" link set "$proxy_side" up
ip -n "$client_ns" addr add "$client_ip/24" dev "$client_side"
ip -n "$client_ns" link set "$client_side" up
ip -n "$client_ns" link set lo up
if ip netns exec "$client_ns" ip route get "$SERVER_IP" >/dev/null 2>&1; then
    fail "the client namespace must have no route to the server $SERVER_IP"
fi

# proxy_start NAME CMD...: runs CMD in the proxy namespace (ip netns exec and unshare exec, so $! is the
# proxy itself) and waits until something listens on the port given as $port.
proxy_start() {
    local what=$1
    shift
    ip netns exec "$proxy_ns" "$@" > "$work/$what.out" 2>&1 &
    proxy_pids+=($!)
    track_pid $!
    for _ in $(seq 1 100); do
        ip netns exec "$proxy_ns" ss -Hltn "sport = :$port" | grep -q LISTEN && return 0
        kill -0 "${proxy_pids[-1]}" 2>/dev/null || break
        sleep 0.1
    done
    cat "$work/$what.out" "$work/$what.log" >&2 2>/dev/null || true
    fail "$what did not start listening on $proxy_ip:$port"
}

step "tinyproxy on $proxy_ip:3128 with Basic credentials, CONNECT only to port 443"
cat > "$work/tinyproxy.conf" <<CONF
Port 3128
Listen $proxy_ip
Timeout 60
MaxClients 50
LogFile "$work/tinyproxy.log"
LogLevel Info
BasicAuth webuser webpass
Allow 10.251.$INDEX.0/24
ConnectPort 443
CONF
port=3128 proxy_start tinyproxy tinyproxy -d -c "$work/tinyproxy.conf"

step "danted on $proxy_ip:1080 (no authentication) and :1081 (username/password)"
# dante checks usernames against the system's users (getpwnam/getspnam): a private mount namespace gets
# copies of /etc/passwd and /etc/shadow with one throwaway user, the host's files stay untouched.
socks_user=sockuser socks_password='s0cks-pw'
cp /etc/passwd "$work/passwd"
cp /etc/shadow "$work/shadow"
echo "$socks_user:x:64999:65534::/nonexistent:/usr/sbin/nologin" >> "$work/passwd"
echo "$socks_user:$(openssl passwd -6 "$socks_password"):19000:0:99999:7:::" >> "$work/shadow"
chmod 0644 "$work/passwd"
chmod 0640 "$work/shadow"
for method in none username; do
    socks_port=1080
    [ "$method" = username ] && socks_port=1081
    cat > "$work/danted-$method.conf" <<CONF
logoutput: $work/danted-$method.log
internal: $proxy_ip port = $socks_port
external: $CLIENT_IF
clientmethod: none
socksmethod: $method
user.privileged: root
user.unprivileged: nobody
client pass { from: 10.251.$INDEX.0/24 to: 0.0.0.0/0 }
socks pass { from: 0.0.0.0/0 to: 0.0.0.0/0 command: connect }
CONF
    port=$socks_port proxy_start "danted-$method" unshare -m --propagation private sh -c '
        mount --bind "$1/passwd" /etc/passwd && mount --bind "$1/shadow" /etc/shadow && shift && exec "$@"' \
        danted-ns "$work" danted -f "$work/danted-$method.conf" -p "$work/danted-$method.pid"
done

# profile NAME [TOML...]: the fixture's alice profile plus the given sections.
profile() {
    local profile_name=$1
    shift
    daemon_profile "$work" "$profile_name" "$work/fixture.env" "$(printf '%s\n' "$@")"
}
profile http $'[session]\nmax_connections = 4' \
    "[proxy]" 'type = "http"' "host = \"$proxy_ip\"" "port = 3128" 'username = "webuser"' 'password = "webpass"'
profile socks "[proxy]" 'type = "socks5"' "host = \"$proxy_ip\"" "port = 1080"
profile socksauth $'[network]\nroutes = "full"\nkill_switch = true' "[proxy]" 'type = "socks5"' "host = \"$proxy_ip\"" "port = 1081" \
    "username = \"$socks_user\"" "password = \"$socks_password\""
profile httpbad "[proxy]" 'type = "http"' "host = \"$proxy_ip\"" "port = 3128" 'username = "webuser"' 'password = "nope"'
profile httpnone "[proxy]" 'type = "http"' "host = \"$proxy_ip\"" "port = 3128"
profile socksbad "[proxy]" 'type = "socks5"' "host = \"$proxy_ip\"" "port = 1081" "username = \"$socks_user\"" \
    'password = "wrong"'
profile forbidden "[proxy]" 'type = "http"' "host = \"$proxy_ip\"" "port = 3128" 'username = "webuser"' \
    'password = "webpass"'
sed -i "s/^port = $SERVER_PORT\$/port = $SERVER_ALT_PORT/" "$work/profiles/forbidden.toml"
profile deadproxy "[proxy]" 'type = "socks5"' "host = \"$proxy_ip\"" "port = 1999"

e2e_daemon_start "$work" "$client_ns"

# connected NAME CONNECTIONS: established with that many TCP connections, the peer is the proxy.
connected() {
    local profile_name=$1 connections=$2
    ctl connect "$profile_name" --timeout 40 || fail "vpnsectl connect $profile_name"
    # The additional connections join after the login: wait (bounded) for all of them.
    local ok=''
    for _ in $(seq 1 100); do
        ctl --json status "$profile_name" > "$work/$profile_name.json" || fail "status --json $profile_name"
        if python3 - "$work/$profile_name.json" "$profile_name" "$connections" <<'PY'; then ok=1; break; fi
import json, sys
path, name, connections = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = [t for t in json.load(open(path))["tunnels"] if t["name"] == name][0]
sys.exit(0 if t["state"] == "established" and t["connections"] == connections else 1)
PY
        sleep 0.2
    done
    [ -n "$ok" ] || { cat "$work/$profile_name.json" >&2; fail "$profile_name: not established with $connections connections"; }
    for _ in $(seq 1 3); do
        ip netns exec "$client_ns" ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null && return 0
    done
    fail "ping the hub's SecureNAT gateway $VPN_GATEWAY through $profile_name"
}

step "HTTP CONNECT with Basic credentials, 4 connections"
connected http 4
# Every connection went through tinyproxy: one CONNECT per TCP connection in its log.
connects=$(grep -c "CONNECT.*$SERVER_IP:443" "$work/tinyproxy.log" || true)
[ "$connects" -ge 4 ] || { cat "$work/tinyproxy.log" >&2; fail "tinyproxy saw $connects CONNECTs, expected 4 or more"; }
ctl disconnect http || fail "disconnect http"

step "SOCKS5 without authentication"
connected socks 1
ctl disconnect socks || fail "disconnect socks"

step "SOCKS5 with username/password, full tunnel and kill switch: the proxy stays outside"
connected socksauth 1
# What the daemon keeps outside the tunnel is the peer it connected to: the proxy, port included (the
# kill switch lets exactly that through; with the server's port the tunnel's own connection would die,
# and the ping above would not have come back).
ip netns exec "$client_ns" ip route get "$proxy_ip" mark 0x7673 | grep >/dev/null "dev $client_side" ||
    fail "the proxy connection would loop into the tunnel"
ip netns exec "$client_ns" ip route get 198.51.100.7 | grep >/dev/null "dev vse-socksauth" ||
    fail "outside address not routed into the TUN"
ip netns exec "$client_ns" nft list table inet vpnse_socksauth > "$work/killswitch.nft" ||
    fail "no kill-switch table for socksauth"
grep >/dev/null "daddr $proxy_ip .* dport 1081 accept" "$work/killswitch.nft" ||
    { cat "$work/killswitch.nft" >&2; fail "the kill switch does not let the proxy $proxy_ip:1081 through"; }
ctl disconnect socksauth || fail "disconnect socksauth"

step "errors name the proxy and what it refused"
expect_failure() {
    local profile_name=$1 pattern=$2 out rc=0
    out=$(ctl connect "$profile_name" --timeout 30 2>&1) || rc=$?
    [ "$rc" -ne 0 ] || fail "connect $profile_name should fail"
    echo "$out" | grep >/dev/null -e "$pattern" || fail "connect $profile_name: expected '$pattern' in: $out"
    echo "   $profile_name -> rc $rc: $out"
}
# tinyproxy 1.11 answers 401 where RFC 9110 says 407; both mean the credentials.
expect_failure httpbad "proxy $proxy_ip:3128 refused the credentials (HTTP 40[17]"
expect_failure httpnone "proxy $proxy_ip:3128 requires credentials (HTTP 40[17]"
expect_failure socksbad "proxy $proxy_ip:1081 (SOCKS5) refused the credentials"
expect_failure forbidden "proxy $proxy_ip:3128 refused to connect to $SERVER_IP:$SERVER_ALT_PORT (HTTP 403"
expect_failure deadproxy "cannot connect to proxy $proxy_ip:1999"

step "no secret in the logs"
for secret in webpass "$socks_password"; do
    if grep -q -- "$secret" "$work/vpnsed.log"; then fail "the daemon log contains a proxy password"; fi
done
echo "PASS proxy"
