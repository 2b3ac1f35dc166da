# Sourced by scripts/demo and the daemon e2e tests: runs vpnsed inside a fixture's client network
# namespace, in a private mount namespace whose /etc is an overlay, so the daemon's DNS changes
# (resolv.conf) never reach the host. Needs: VPNSE_BUILD_DIR, a fixture env file.
#
#   daemon_start WORKDIR CLIENT_NS [vpnsed args...]   → sets DAEMON_PID, DAEMON_SOCKET (DAEMON_GROUP: the
#                                                      service group, default root)
#   daemon_profile WORKDIR NAME ENVFILE [extra TOML]   → writes WORKDIR/profiles/NAME.toml from the fixture env
#   daemon_stop                                        → SIGTERM, bounded wait, SIGKILL
#   ctl ARGS...                                        → vpnsectl against the daemon's socket

daemon_start() {
    local work=$1 ns=$2
    shift 2
    mkdir -p "$work/profiles" "$work/state" "$work/etc-up" "$work/etc-work"
    chmod 0700 "$work/profiles"
    DAEMON_SOCKET="$work/vpnsed.sock"
    cat > "$work/vpnsed.toml" <<TOML
socket_path = "$DAEMON_SOCKET"
group = "${DAEMON_GROUP:-root}"
log_level = "info"
state_dir = "$work/state"
profile_dir = "$work/profiles"
dns_backend = "resolvconf"
TOML
    # The overlay keeps /etc/resolv.conf writable by rename inside the namespace (test-recipes 5).
    ip netns exec "$ns" unshare -m --propagation private sh -c '
        mount -t overlay vpnse-etc -o "lowerdir=/etc,upperdir=$1/etc-up,workdir=$1/etc-work" /etc || exit 1
        shift
        exec "$@"' vpnsed-ns "$work" "$VPNSE_BUILD_DIR/daemon/vpnsed" --config "$work/vpnsed.toml" --foreground "$@" \
        > "$work/vpnsed.log" 2>&1 &
    DAEMON_PID=$!
    DAEMON_NS=$ns
    local i
    for i in $(seq 1 100); do
        [ -S "$DAEMON_SOCKET" ] && return 0
        kill -0 "$DAEMON_PID" 2>/dev/null || { echo "vpnsed exited:"; cat "$work/vpnsed.log"; return 1; }
        sleep 0.1
    done
    echo "vpnsed did not create $DAEMON_SOCKET within 10 s" >&2
    return 1
}

daemon_profile() {
    local work=$1 name=$2 envfile=$3 extra=${4:-}
    mkdir -p "$work/profiles" && chmod 0700 "$work/profiles"
    (
        # shellcheck disable=SC1090
        . "$envfile"
        cat > "$work/profiles/$name.toml" <<TOML
[server]
host = "$SERVER_IP"
port = $SERVER_PORT
hub = "$HUB"

[auth]
method = "password"
username = "$USER"
password = "$PASSWORD"

[tls]
verify = "fingerprint"
fingerprint = "$SERVER_CERT_SHA256"
$extra
TOML
    )
    chmod 0600 "$work/profiles/$name.toml"
}

daemon_stop() {
    [ -n "${DAEMON_PID:-}" ] || return 0
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 100); do
        kill -0 "$DAEMON_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
    DAEMON_PID=
}

ctl() {
    ip netns exec "$DAEMON_NS" "$VPNSE_BUILD_DIR/ctl/vpnsectl" --socket "$DAEMON_SOCKET" "$@"
}
