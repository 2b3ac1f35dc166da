#!/usr/bin/env bash
# vpnsed against a hostile server (hostile_server.py beside this file): every misbehaviour at every
# handshake stage must end in a clear error within the handshake time-out, with vpnsed bounded in memory
# and serving its control socket meanwhile (README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" faults_hostile
# shellcheck source=../../support/faults.sh
. "$root/tests/support/faults.sh"

here=$(cd "$(dirname "$0")" && pwd)
cases=(tcp_silent not_tls tls_silent http_not_200 http_huge_length http_truncated http_endless_header slow_drip
    pack_garbage pack_huge_count hello_no_random login_garbage redirect_self)
base_port=7400
limit_s=30  # the handshake time-out (20 s) plus slack for a loaded machine
a=''; unique_fixture_name a fH  # tests/support/names.sh: a namespace no fixture uses
ns=vse-c-$a
work=$(mktemp -d /tmp/vpnse-e2e-faults-hostile.XXXXXX)
server_pid=
cleanup() {
    set +e
    daemon_stop
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    ip netns del "$ns" 2>/dev/null
    rm -rf "$work"
    check_nothing_left || exit 1
}
trap cleanup EXIT
report() { echo "   RESULT $*"; }

ip netns add "$ns"
track_netns "$ns"
ip netns exec "$ns" ip link set lo up
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=hostile -keyout "$work/key.pem" \
    -out "$work/cert.pem" 2>/dev/null || fail "openssl req"
fingerprint=$(openssl x509 -in "$work/cert.pem" -noout -fingerprint -sha256 | cut -d= -f2)
ip netns exec "$ns" python3 "$here/hostile_server.py" "$work/cert.pem" "$work/key.pem" 127.0.0.1 "$base_port" \
    > "$work/server.out" 2>&1 &
server_pid=$!
track_pid "$server_pid"
wait_until 10 grep -q ready "$work/server.out" || fail "hostile server not ready: $(cat "$work/server.out")"

for i in "${!cases[@]}"; do
    cat > "$work/${cases[$i]}.env" <<ENV
SERVER_IP=127.0.0.1
SERVER_PORT=$((base_port + i))
HUB=TEST
USER=alice
PASSWORD=secret
SERVER_CERT_SHA256=$fingerprint
ENV
    daemon_profile "$work" "${cases[$i]//_/-}" "$work/${cases[$i]}.env"
done
e2e_daemon_start "$work" "$ns"

step "connect every profile at once; each must fail with a clear error within ${limit_s} s"
t0=$(now_ms)
for c in "${cases[@]}"; do ctl connect "${c//_/-}" --no-wait >/dev/null || fail "connect --no-wait ${c}"; done
declare -A done_ms=()
max_list_ms=0
while [ ${#done_ms[@]} -lt ${#cases[@]} ]; do
    (($(now_ms) - t0 < limit_s * 1000)) || break
    l0=$(now_ms)
    ctl list >/dev/null || fail "the control socket stopped answering"
    l=$(($(now_ms) - l0))
    ((l > max_list_ms)) && max_list_ms=$l
    # One status call for every tunnel, so the times are within ~0.2 s.
    now=$(($(now_ms) - t0))
    while read -r p state; do
        c=${p//-/_}
        [ "$state" = disconnected ] && [ -z "${done_ms[$c]:-}" ] && done_ms[$c]=$now
    done < <(ctl --json status | python3 -c 'import json,sys; [print(t["name"], t["state"]) for t in json.load(sys.stdin)["tunnels"]]')
    sleep 0.1
done
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$DAEMON_PID/status")
for c in "${cases[@]}"; do
    p=${c//_/-}
    [ -n "${done_ms[$c]:-}" ] || fail "$c: still $(tunnel_field "$p" state) after ${limit_s} s"
    err=$(ctl --json status "$p" | python3 -c 'import json,sys; e=json.load(sys.stdin)["tunnels"][0]["last_error"]; print(e["name"] + ": " + e["message"] if e else "")')
    [ -n "$err" ] || fail "$c: disconnected without an error"
    report "$c: ${done_ms[$c]} ms: $err"
done
report "vpnsed RSS after all cases: $((rss_kb / 1024)) MiB; slowest control-socket answer meanwhile: ${max_list_ms} ms"
((rss_kb < 200 * 1024)) || fail "vpnsed RSS ${rss_kb} kB: unbounded allocation?"
((max_list_ms < 2000)) || fail "the control socket took ${max_list_ms} ms to answer"
e2e_daemon_stop_clean
echo "PASS faults_hostile"
