# shellcheck shell=bash
# A private system bus with Debian's own policy (/usr/share/dbus-1/system.conf, test-recipes §1) and only
# the policy files the test names, and a real polkitd on it with private actions and rules. Nothing of
# the host's bus, polkit actions or rules is touched: polkitd's fixed directories are mounts in its own
# mount namespace.
#
#   system_bus_start DIR POLICY_FILE...       → SYSTEM_BUS_PID; exports DBUS_SYSTEM_BUS_ADDRESS
#   polkitd_start DIR ACTIONS_FILE RULES_FILE → POLKITD_PID, once polkitd owns its name
#   system_bus_stop                           → stops both (by PID)

system_bus_start() {
    local dir=$1
    shift
    mkdir -p "$dir/system.d"
    cp "$@" "$dir/system.d/"
    # Debian's polkitd policy, so polkitd may own its name on this bus.
    cp /usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf "$dir/system.d/"
    # The stock configuration minus what only the real system bus does (a user to drop to, forking, the
    # pid file, syslog, the setuid activation helper, the host's service and policy directories).
    sed -e '/<user>/d' -e '/<fork\/>/d' -e '/<pidfile>/d' -e '/<syslog\/>/d' -e '/<servicehelper>/d' \
        -e '/<standard_system_servicedirs\/>/d' -e '/<include /d' \
        -e "s|<listen>.*</listen>|<listen>unix:path=$dir/system_bus_socket</listen>|" \
        -e "s|<includedir>system.d</includedir>|<includedir>$dir/system.d</includedir>|" \
        -e '/<includedir>\/etc\/dbus-1\/system.d<\/includedir>/d' \
        /usr/share/dbus-1/system.conf > "$dir/system.conf"
    local address
    read -r address SYSTEM_BUS_PID < <(dbus-daemon --config-file="$dir/system.conf" --fork --nopidfile \
        --print-address=1 --print-pid=1 2>"$dir/dbus-daemon.log" | paste -sd' ')
    [ -n "${SYSTEM_BUS_PID:-}" ] || { cat "$dir/dbus-daemon.log" >&2; return 1; }
    export DBUS_SYSTEM_BUS_ADDRESS=$address
}

polkitd_start() {
    local dir=$1 actions=$2 rules=$3
    mkdir -p "$dir/polkit-actions" "$dir/polkit-rules"
    cp /usr/share/polkit-1/actions/*.policy "$actions" "$dir/polkit-actions/"
    cp "$rules" "$dir/polkit-rules/"
    chmod 0755 "$dir/polkit-actions" "$dir/polkit-rules"
    chmod 0644 "$dir/polkit-actions/"* "$dir/polkit-rules/"*
    # polkitd drops to user polkitd: it must be able to read the rules.
    unshare -m --propagation private sh -c '
        mount --bind "$1/polkit-actions" /usr/share/polkit-1/actions || exit 1
        mount --bind "$1/polkit-rules" /etc/polkit-1/rules.d || exit 1
        exec /usr/lib/polkit-1/polkitd --no-debug' polkitd-ns "$dir" > "$dir/polkitd.log" 2>&1 &
    POLKITD_PID=$!
    local i
    for i in $(seq 1 100); do
        busctl --system status org.freedesktop.PolicyKit1 >/dev/null 2>&1 && return 0
        kill -0 "$POLKITD_PID" 2>/dev/null || { cat "$dir/polkitd.log" >&2; return 1; }
        sleep 0.1
    done
    echo "polkitd did not own org.freedesktop.PolicyKit1 within 10 s" >&2
    return 1
}

system_bus_stop() {
    local pid
    for pid in ${POLKITD_PID:-} ${SYSTEM_BUS_PID:-}; do
        kill "$pid" 2>/dev/null || continue
        local i
        for i in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
    POLKITD_PID='' SYSTEM_BUS_PID=''
}
