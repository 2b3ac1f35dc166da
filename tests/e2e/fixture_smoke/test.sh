#!/usr/bin/env bash
# fixture_smoke: checks tests/support/se-fixture itself against the real Debian SoftEther VPN Server.
# Topology: README.md in this folder. Needs root and softether-vpnserver; without them it fails under
# VPNSE_NO_SKIP=1 and exits 77 (skipped) otherwise (tests/support/skip.sh).
#
#  1. one fixture: TLS + SoftEther hello from the client netns, certificate fingerprint, hub/users/SecureNAT/DHCP
#     via vpncmd, SecureNAT reachable through the local bridge (ICMP + a DHCP OFFER with options 15/121),
#     iperf3 behind the bridge; with the official vpnclient (if installed): bob (non-ASCII password) and guest
#     (anonymous) log in, iperf3 runs through the tunnel, kill-connections drops exactly the chosen sessions;
#     restart-server keeps the certificate; down leaves nothing behind.
#  2. two fixtures brought up at the same time, sharing one client netns: both answer; both go down cleanly
#     and the shared client netns goes with the last one.
# shellcheck disable=SC2016  # single-quoted sh -c scripts take their values as arguments
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE_DIR=${VPNSE_SOURCE_DIR:-$(cd "$HERE/../../.." && pwd)}
FIXTURE=$SOURCE_DIR/tests/support/se-fixture
FIXTURE_ROOT=${VSE_FIXTURE_DIR:-/run/vse-fixture}

# shellcheck source=../../support/skip.sh
. "$SOURCE_DIR/tests/support/skip.sh"
if ((EUID != 0)); then skip_or_fail "fixture_smoke: needs root"; fi
if [[ ! -x /usr/libexec/softether/vpnserver/vpnserver ]]; then
    skip_or_fail "fixture_smoke: needs softether-vpnserver (/usr/libexec/softether/vpnserver/vpnserver)"
fi

# Names: ≤ 8 characters, unique among concurrent runs (tests/support/names.sh).
# shellcheck source=../../support/names.sh
. "$SOURCE_DIR/tests/support/names.sh"
unique_fixture_name ONE fa
unique_fixture_name TWO_A fb
unique_fixture_name TWO_B fc
unique_fixture_name shared_name fx
SHARED_NS=vse-c-$shared_name
CLIENT_STATE=
CLIENT_PID=
START_MARKER=$(mktemp)

step() { printf '\n== %s\n' "$*"; }
fail() {
    echo "FAIL fixture_smoke: $*" >&2
    exit 1
}
check() { # check DESCRIPTION CMD...: run CMD, fail with DESCRIPTION unless it succeeds
    local desc=$1
    shift
    if "$@"; then
        echo "ok   $desc"
    else
        fail "$desc"
    fi
}

cleanup() {
    local rc=$?
    set +e
    if [[ -n $CLIENT_PID ]] && [[ -e /proc/$CLIENT_PID ]]; then kill -TERM "$CLIENT_PID" 2>/dev/null; fi
    for name in "$ONE" "$TWO_A" "$TWO_B"; do
        "$FIXTURE" down "$name" >/dev/null 2>&1
    done
    [[ -n $CLIENT_STATE ]] && rm -rf "$CLIENT_STATE"
    rm -f "$START_MARKER"
    exit "$rc"
}
trap cleanup EXIT

ms() { date +%s%3N; }
envval() { sed -n "s/^$2=//p" "$FIXTURE_ROOT/$1/env"; }

# Python helpers (stdlib only), used when python3 exists: ICMP echo, and a DHCP DISCOVER on a given interface.
PY_ICMP='
import os, socket, struct, sys
def csum(b):
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b)); t = (t >> 16) + (t & 0xFFFF); t += t >> 16
    return ~t & 0xFFFF
ident = os.getpid() & 0xFFFF
body = struct.pack("!BBHHH", 8, 0, 0, ident, 1) + b"vpnse!"
pkt = struct.pack("!BBHHH", 8, 0, csum(body), ident, 1) + b"vpnse!"
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); s.settimeout(3)
s.sendto(pkt, (sys.argv[1], 0))
while True:
    data, addr = s.recvfrom(2048)
    ihl = (data[0] & 15) * 4
    if addr[0] == sys.argv[1] and data[ihl] == 0 and struct.unpack("!H", data[ihl + 4:ihl + 6])[0] == ident:
        break
'
PY_DHCP='
import os, socket, struct, sys, time
mac = bytes([0x02, 0x76, 0x73]) + os.urandom(3); xid = os.urandom(4)
def csum(b):
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b)); t = (t >> 16) + (t & 0xFFFF); t += t >> 16
    return ~t & 0xFFFF
bootp = bytes([1, 1, 6, 0]) + xid + bytes(20) + mac + bytes(10 + 192) + b"\x63\x82\x53\x63"
bootp += bytes([53, 1, 1, 55, 4, 1, 3, 6, 121, 255]); bootp += bytes(300 - len(bootp))
udp = struct.pack("!HHHH", 68, 67, 8 + len(bootp), 0) + bootp
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, bytes(4), b"\xff" * 4)
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
frame = b"\xff" * 6 + mac + b"\x08\x00" + ip + udp
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800)); s.bind((sys.argv[1], 0)); s.settimeout(0.5)
deadline = time.time() + 8; s.send(frame)
while time.time() < deadline:
    try: data = s.recv(2048)
    except socket.timeout: s.send(frame); continue
    if data[12:14] != b"\x08\x00" or data[23] != 17: continue
    u = 14 + (data[14] & 15) * 4; b = data[u + 8:]
    if struct.unpack("!H", data[u + 2:u + 4])[0] != 68 or b[4:8] != xid or b[28:34] != mac: continue
    opts = {}; i = 240
    while i < len(b) and b[i] != 255: opts[b[i]] = b[i + 2:i + 2 + b[i + 1]]; i += 2 + b[i + 1]
    ip4 = lambda v: ",".join(socket.inet_ntoa(v[j:j + 4]) for j in range(0, len(v), 4))
    print("YIADDR=" + socket.inet_ntoa(b[16:20])); print("TYPE=%d" % opts[53][0])
    print("ROUTER=" + ip4(opts.get(3, b""))); print("DNS=" + ip4(opts.get(6, b"")))
    print("DOMAIN=" + opts.get(15, b"").decode()); print("OPT121=" + opts.get(121, b"").hex())
    print("OPT249=" + opts.get(249, b"").hex())
    sys.exit(0)
sys.exit("no DHCP reply")
'
HAVE_PY=0
command -v python3 >/dev/null && HAVE_PY=1

# Checks shared by parts 1 and 2: TLS and the SoftEther hello from the client netns.
check_server_answers() { # NAME
    local ns ip code
    ns=$(envval "$1" CLIENT_NS)
    ip=$(envval "$1" SERVER_IP)
    if command -v curl >/dev/null; then
        code=$(ip netns exec "$ns" curl -sk -m 10 -o /dev/null -w '%{http_code}' "https://$ip/") || true
        check "$1: HTTPS on $ip:443 answers from $ns (HTTP $code)" test "$code" = 403
        check "$1: SoftEther hello for POST /vpnsvc/connect.cgi VPNCONNECT" bash -c \
            "ip netns exec $ns curl -sk -m 10 --data-binary VPNCONNECT -H 'Content-Type: image/jpeg' \
                https://$ip/vpnsvc/connect.cgi | grep -a >/dev/null hello"
    else
        check "$1: TCP $ip:443 open from $ns (no curl)" \
            ip netns exec "$ns" timeout 5 bash -c "exec 3<>/dev/tcp/$ip/443"
    fi
    if command -v openssl >/dev/null; then
        local seen
        seen=$(ip netns exec "$ns" openssl s_client -connect "$ip:443" </dev/null 2>/dev/null |
            openssl x509 -outform DER | sha256sum | cut -d' ' -f1)
        check "$1: certificate on the wire matches SERVER_CERT_SHA256" test "$seen" = "$(envval "$1" SERVER_CERT_SHA256)"
    fi
}

# Everything that must be gone after `down NAME`.
check_gone() { # NAME SERVER_PID IPERF_PID CLIENT_NS [gone|kept]
    local name=$1 spid=$2 ipid=$3 cns=$4 cns_expect=$5
    check "$name: vpnserver pid $spid gone" bash -c "! { [[ -e /proc/$spid ]] && ! grep -q ') Z' /proc/$spid/stat; }"
    check "$name: iperf3 pid $ipid gone" bash -c "! { [[ -e /proc/$ipid ]] && ! grep -q ') Z' /proc/$ipid/stat; }"
    check "$name: no process tagged VSE_FIXTURE_NAME=$name" bash -c \
        "! grep -lzx 'VSE_FIXTURE_NAME=$name' /proc/[0-9]*/environ 2>/dev/null | grep >/dev/null ."
    check "$name: netns vse-s-$name gone" bash -c "! ip netns list | grep -w >/dev/null 'vse-s-$name'"
    if [[ $cns_expect == gone ]]; then
        check "$name: client netns $cns gone" bash -c "! ip netns list | grep -w >/dev/null '$cns'"
    else
        check "$name: client netns $cns kept (still used)" bash -c "ip netns list | grep -w >/dev/null '$cns'"
        check "$name: its veth gone from $cns" bash -c "! ip -n '$cns' -o link | grep -E >/dev/null 'vse-c${name}[@:]'"
    fi
    check "$name: no veth left in the root netns" bash -c "! ip -o link | grep -E >/dev/null 'vse-[sc]${name}[@:]'"
    check "$name: state dir gone" test ! -e "$FIXTURE_ROOT/$name"
    check "$name: no mounts of its state" bash -c "! grep -q '$FIXTURE_ROOT/$name' /proc/*/mountinfo 2>/dev/null"
}

# ---------------------------------------------------------------------------------------------------------------
step "1. single fixture $ONE"
t0=$(ms)
"$FIXTURE" up "$ONE" auto >/dev/null
echo "up took $(($(ms) - t0)) ms"
cat "$FIXTURE_ROOT/$ONE/env"
SNS=$(envval "$ONE" SERVER_NS)
CNS=$(envval "$ONE" CLIENT_NS)
GW=$(envval "$ONE" VPN_GATEWAY)
BRIDGE_IP=$(envval "$ONE" BRIDGE_HOST_IP)
INDEX=$(envval "$ONE" INDEX)

check "env NAME prints the same env file" cmp -s <("$FIXTURE" env "$ONE") "$FIXTURE_ROOT/$ONE/env"
check_server_answers "$ONE"
check "SERVER_CERT_SHA256 is 64 lower-case hex digits" bash -c "[[ $(envval "$ONE" SERVER_CERT_SHA256) =~ ^[0-9a-f]{64}$ ]]"

hubs=$("$FIXTURE" vpncmd "$ONE" /CSV HubList)
check "hub TEST exists" grep -q '^TEST,' <<<"$hubs"
check "hub DEFAULT deleted" bash -c "! grep -q '^DEFAULT,' <<<'$hubs'"
users=$("$FIXTURE" vpncmd "$ONE" /CSV UserList)
for u in alice bob carol; do
    check "user $u uses password authentication" grep -q "^$u,.*,Password Authentication," <<<"$users"
done
check "user guest uses anonymous authentication" grep -q '^guest,.*,Anonymous Authentication,' <<<"$users"
check "carol has policy MaxConnection=2" bash -c \
    "'$FIXTURE' vpncmd '$ONE' /CSV UserGet carol | grep -E >/dev/null '^MaxConnection,[^,]*,2 ?\$'"
check "SecureNAT running" "$FIXTURE" vpncmd "$ONE" SecureNatStatusGet >/dev/null
dhcp=$("$FIXTURE" vpncmd "$ONE" /CSV DhcpGet)
check "DHCP pool .10-.200" grep -q "^Start Distribution Address Band,192.168.$((100 + INDEX)).10$" <<<"$dhcp"
check "DHCP domain vpnse-test.example" grep -q '^Domain Name,vpnse-test.example$' <<<"$dhcp"
check "DHCP pushes 10.123.$INDEX.0/24" grep -q "^Static Routing Table to Push,10.123.$INDEX.0/255.255.255.0/$GW$" <<<"$dhcp"
check "local bridge operating" bash -c "'$FIXTURE' vpncmd '$ONE' /CSV BridgeList | grep >/dev/null '^1,TEST,vsebr,Operating$'"
check "vpncmd passes errors through (unknown user -> non-zero)" bash -c "! '$FIXTURE' vpncmd '$ONE' UserGet nobody >/dev/null"

check "tap_vsebr has $BRIDGE_IP" bash -c "ip -n $SNS -o addr show dev tap_vsebr | grep >/dev/null ' $BRIDGE_IP/24 '"
check "iperf3 listens on $BRIDGE_IP:5201" bash -c "ip netns exec $SNS ss -Hltn 'sport = :5201' | grep >/dev/null '$BRIDGE_IP:5201'"
check "iperf3 answers (1 s local run in the server netns)" \
    ip netns exec "$SNS" timeout 20 iperf3 -c "$BRIDGE_IP" -t 1 -f m >/dev/null
if ((HAVE_PY)); then
    check "SecureNAT $GW answers ICMP through the bridge" ip netns exec "$SNS" timeout 5 python3 -c "$PY_ICMP" "$GW"
    offer=$(ip netns exec "$SNS" python3 -c "$PY_DHCP" tap_vsebr) || fail "no DHCP OFFER on tap_vsebr"
    while IFS= read -r line; do echo "     $line"; done <<<"$offer"
    o121=$(printf '180a7b%02x%s' "$INDEX" "$(printf '%02x%02x%02x%02x' 192 168 $((100 + INDEX)) 1)")
    check "DHCP OFFER (type 2) from the pool" grep -qx "TYPE=2" <<<"$offer"
    check "DHCP OFFER router/DNS = $GW" bash -c "grep -qx 'ROUTER=$GW' <<<'$offer' && grep -qx 'DNS=$GW' <<<'$offer'"
    check "DHCP OFFER domain (option 15)" grep -qx 'DOMAIN=vpnse-test.example' <<<"$offer"
    check "DHCP OFFER classless route (options 121 and 249)" \
        bash -c "grep -qx 'OPT121=$o121' <<<'$offer' && grep -qx 'OPT249=$o121' <<<'$offer'"
else
    skip_part "fixture_smoke: ICMP/DHCP checks through the bridge need python3"
fi

# Official client in the client netns (private state, like the server): real sessions for the login and
# kill-connections checks, and traffic through the tunnel to iperf3 behind the bridge.
if [[ -x /usr/libexec/softether/vpnclient/vpnclient ]]; then
    step "1b. official vpnclient sessions against $ONE"
    CLIENT_STATE=$(mktemp -d /run/vse-smoke-client.XXXXXX)
    mkdir -p "$CLIENT_STATE"/{lib,run,log,tmp,vpncmd}
    mkdir -p /var/lib/softether /var/log/softether /run/softether
    setsid ip netns exec "$CNS" unshare -m sh -c '
        mount --bind "$1/lib" /var/lib/softether; mount --bind "$1/run" /run/softether
        mount --bind "$1/log" /var/log/softether; mount --bind "$1/tmp" /tmp
        exec /usr/libexec/softether/vpnclient/vpnclient start --foreground' vse-client "$CLIENT_STATE" \
        </dev/null >"$CLIENT_STATE/client.out" 2>&1 &
    CLIENT_PID=$!
    vcc() { # vpncmd writes /tmp/.unicode_cache_* and /var/lib/softether/lang.config: keep them private too
        LC_ALL=C.UTF-8 ip netns exec "$CNS" unshare -m sh -c '
            mount --bind "$1/tmp" /tmp; mount --bind "$1/vpncmd" /var/lib/softether; shift; exec vpncmd "$@"' \
            vse-vpncmd "$CLIENT_STATE" /CLIENT 127.0.0.1 "$@" </dev/null
    }
    wait_for() { # DESC TIMEOUT_S CMD...
        local desc=$1 deadline=$(($(ms) + $2 * 1000))
        shift 2
        until "$@" >/dev/null 2>&1; do
            (($(ms) < deadline)) || fail "timed out: $desc"
            sleep 0.1
        done
        echo "ok   $desc"
    }
    wait_for "vpnclient RPC ready" 15 vcc /CMD AccountList
    SERVER=$(envval "$ONE" SERVER_IP):443
    PW2=$(envval "$ONE" PASSWORD2)
    vcc /CMD NicCreate se0 >/dev/null
    vcc /CMD NicCreate se1 >/dev/null
    vcc /CMD AccountCreate bob /SERVER:"$SERVER" /HUB:TEST /USERNAME:bob /NICNAME:se0 >/dev/null
    vcc /CMD AccountPasswordSet bob "/PASSWORD:$PW2" /TYPE:standard >/dev/null
    vcc /CMD AccountCreate anon /SERVER:"$SERVER" /HUB:TEST /USERNAME:guest /NICNAME:se1 >/dev/null
    vcc /CMD AccountAnonymousSet anon >/dev/null
    for a in bob anon; do
        vcc /CMD AccountRetrySet "$a" /NUM:0 /INTERVAL:5 >/dev/null
        vcc /CMD AccountConnect "$a" >/dev/null
    done
    established() { vcc /CSV /CMD AccountStatusGet "$1" | grep >/dev/null 'Session Established'; }
    wait_for "bob (password $PW2) logged in" 20 established bob
    wait_for "guest (anonymous) logged in" 20 established anon
    check "server lists the sessions of bob and guest" bash -c \
        "s=\$('$FIXTURE' vpncmd '$ONE' /CSV SessionList); grep -q '^SID-BOB-' <<<\"\$s\" && grep -q '^SID-GUEST-' <<<\"\$s\""
    ip -n "$CNS" addr add "192.168.$((100 + INDEX)).250/24" dev vpn_se0
    check "iperf3 through the tunnel to $BRIDGE_IP" \
        ip netns exec "$CNS" timeout 30 iperf3 -c "$BRIDGE_IP" -t 1 -f m -B "192.168.$((100 + INDEX)).250"
    if ((HAVE_PY)); then
        offer=$(ip netns exec "$CNS" python3 -c "$PY_DHCP" vpn_se1) || fail "no DHCP OFFER through the tunnel"
        check "DHCP through the tunnel offers an address in the pool" \
            grep -qE "^YIADDR=192\.168\.$((100 + INDEX))\.([1-9][0-9]|1[0-9][0-9]|200)$" <<<"$offer"
    fi
    "$FIXTURE" kill-connections "$ONE" bob
    check "kill-connections NAME bob: bob's session gone, guest's kept" bash -c \
        "s=\$('$FIXTURE' vpncmd '$ONE' /CSV SessionList); ! grep -q '^SID-BOB-' <<<\"\$s\" && grep -q '^SID-GUEST-' <<<\"\$s\""
    "$FIXTURE" kill-connections "$ONE"
    check "kill-connections NAME: no client session left, SecureNAT and bridge kept" bash -c \
        "s=\$('$FIXTURE' vpncmd '$ONE' /CSV SessionList); ! grep -qE '^SID-(BOB|GUEST)-' <<<\"\$s\" &&
         grep -q '^SID-SECURENAT-' <<<\"\$s\" && grep -q '^SID-LOCALBRIDGE-' <<<\"\$s\""
    kill -TERM "$CLIENT_PID"
    wait_for "vpnclient exited" 15 bash -c "! [[ -e /proc/$CLIENT_PID ]] || grep >/dev/null ') Z' /proc/$CLIENT_PID/stat"
    CLIENT_PID=
    rm -rf "$CLIENT_STATE"
    CLIENT_STATE=
else
    skip_part "fixture_smoke: official-client checks need softether-vpnclient"
fi

step "1c. restart-server $ONE"
old_pid=$(envval "$ONE" SERVER_PID)
old_cert=$(envval "$ONE" SERVER_CERT_SHA256)
t0=$(ms)
"$FIXTURE" restart-server "$ONE"
echo "restart-server took $(($(ms) - t0)) ms"
new_pid=$(envval "$ONE" SERVER_PID)
check "new server pid ($old_pid -> $new_pid)" test "$new_pid" != "$old_pid"
check "old server pid gone" bash -c "! { [[ -e /proc/$old_pid ]] && ! grep -q ') Z' /proc/$old_pid/stat; }"
check "same certificate after restart" test "$(envval "$ONE" SERVER_CERT_SHA256)" = "$old_cert"
check_server_answers "$ONE"
check "iperf3 listens again after restart" \
    bash -c "ip netns exec $SNS ss -Hltn 'sport = :5201' | grep >/dev/null '$BRIDGE_IP:5201'"
check "users survived the restart" bash -c "'$FIXTURE' vpncmd '$ONE' /CSV UserList | grep >/dev/null '^bob,'"
old_pid=$(envval "$ONE" SERVER_PID)
t0=$(ms)
"$FIXTURE" restart-server "$ONE" --kill
echo "restart-server --kill took $(($(ms) - t0)) ms"
check "new server pid after a crash restart" test "$(envval "$ONE" SERVER_PID)" != "$old_pid"
check_server_answers "$ONE"
check "configuration survived a SIGKILL (it was flushed)" \
    bash -c "'$FIXTURE' vpncmd '$ONE' /CSV BridgeList | grep >/dev/null '^1,TEST,vsebr,Operating$'"

step "1d. down $ONE"
spid=$(envval "$ONE" SERVER_PID)
ipid=$(cat "$FIXTURE_ROOT/$ONE/iperf3.pid")
t0=$(ms)
"$FIXTURE" down "$ONE"
echo "down took $(($(ms) - t0)) ms"
check_gone "$ONE" "$spid" "$ipid" "$CNS" gone
check "down is idempotent" "$FIXTURE" down "$ONE"

# ---------------------------------------------------------------------------------------------------------------
step "2. two fixtures at once ($TWO_A, $TWO_B) sharing client netns $SHARED_NS"
t0=$(ms)
loga=$(mktemp)
logb=$(mktemp)
"$FIXTURE" up "$TWO_A" auto --client-ns "$SHARED_NS" >/dev/null 2>"$loga" &
pa=$!
"$FIXTURE" up "$TWO_B" auto --client-ns "$SHARED_NS" >/dev/null 2>"$logb" &
pb=$!
rca=0 rcb=0
wait "$pa" || rca=$?
wait "$pb" || rcb=$?
cat "$loga" "$logb"
rm -f "$loga" "$logb"
((rca == 0 && rcb == 0)) || fail "concurrent up failed ($rca, $rcb)"
echo "both up in $(($(ms) - t0)) ms (in parallel)"
ia=$(envval "$TWO_A" INDEX)
ib=$(envval "$TWO_B" INDEX)
check "distinct indexes ($ia, $ib)" test "$ia" != "$ib"
check "both use client netns $SHARED_NS" \
    test "$(envval "$TWO_A" CLIENT_NS)" = "$SHARED_NS" -a "$(envval "$TWO_B" CLIENT_NS)" = "$SHARED_NS"
check_server_answers "$TWO_A"
check_server_answers "$TWO_B"
check "different server certificates" test "$(envval "$TWO_A" SERVER_CERT_SHA256)" != "$(envval "$TWO_B" SERVER_CERT_SHA256)"

spa=$(envval "$TWO_A" SERVER_PID)
ipa=$(cat "$FIXTURE_ROOT/$TWO_A/iperf3.pid")
spb=$(envval "$TWO_B" SERVER_PID)
ipb=$(cat "$FIXTURE_ROOT/$TWO_B/iperf3.pid")
"$FIXTURE" down "$TWO_A"
check_gone "$TWO_A" "$spa" "$ipa" "$SHARED_NS" kept
check_server_answers "$TWO_B"
"$FIXTURE" down "$TWO_B"
check_gone "$TWO_B" "$spb" "$ipb" "$SHARED_NS" gone

step "3. nothing left"
run_names="$ONE|$TWO_A|$TWO_B|$shared_name"
check "no vse-* netns of this run" bash -c "! ip netns list | grep -E >/dev/null 'vse-[sc]-($run_names)\b'"
check "no fixture-tagged process of this run" bash -c \
    "! grep -lzE 'VSE_FIXTURE_NAME=($run_names)\b' /proc/[0-9]*/environ 2>/dev/null | grep >/dev/null ."
# The fixture creates these as empty bind-mount targets; nothing may be written into them on the host.
check "host /var/lib|log/softether and /run/softether untouched" bash -c \
    "! find /var/lib/softether /var/log/softether /run/softether -mindepth 1 -newer '$START_MARKER' | grep >/dev/null ."

skip_finish
echo
echo "PASS fixture_smoke"
