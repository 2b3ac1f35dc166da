# shellcheck shell=bash
# A Debian root file system booted with systemd as PID 1 in its own pid/mount/uts/ipc/cgroup namespaces,
# inside an existing network namespace (test-recipes §12). Source it (bash); the caller owns cleanup.
#
#   guest_boot ROOT NETNS LOG   boot ROOT (an unpacked root file system) in NETNS; console output to LOG.
#                               Sets GUEST_PID (the guest's systemd, as the host sees it).
#   guest ARGS...               run a command inside the guest (its namespaces, chrooted to ROOT, clean env)
#   guest_wait_running SECONDS  wait for `systemctl is-system-running` to settle; fails unless "running"
#   guest_poweroff              clean shutdown (SIGRTMIN+4), SIGKILL after 30 s; waits for the namespace to end
#   guest_remove_cgroup         rmdir the guest's cgroup sub-tree (after guest_poweroff); fails if it is busy
#
# cgroups: the guest's systemd mounts a fresh cgroup2 inside a cgroup namespace rooted in a sub-cgroup made for
# it (GUEST_CGROUP, under the host's cgroup2 mount), so the host's own cgroup tree is never touched. The launcher
# moves itself into that sub-cgroup BEFORE `ip netns exec` (which remounts /sys) and stops if the move fails:
# carrying on would boot the guest's systemd in the host's cgroup root (test-recipes §12).
GUEST_PID=
GUEST_LAUNCHER_PID=
GUEST_ROOT=
GUEST_CGROUP=

guest_cgroup2_mount() {
    local mount_point
    mount_point=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
    [ -n "$mount_point" ] || { echo "boot-guest: no cgroup2 mount on this host" >&2; return 1; }
    echo "$mount_point"
}

guest_boot() {
    local root=$1 netns=$2 log=$3 base
    GUEST_ROOT=$root
    base=$(guest_cgroup2_mount) || return 1
    if [ -z "$GUEST_CGROUP" ]; then
        GUEST_CGROUP=$base/vpnse-boot-$$-$RANDOM
        mkdir "$GUEST_CGROUP" || return 1
    fi
    # shellcheck disable=SC2016  # expanded by the inner shells
    sh -c '
        echo $$ > "$1/cgroup.procs" || { echo "boot-guest: cannot enter $1; not booting" >&2; exit 1; }
        grep -qx "0::/$(basename "$1")" /proc/self/cgroup || { echo "boot-guest: not in $1; not booting" >&2; exit 1; }
        exec ip netns exec "$2" unshare --pid --fork --mount --uts --ipc --cgroup --propagation private sh -c "
            mount --bind \"\$0\" \"\$0\" && mount -t proc proc \"\$0/proc\" && mount -t sysfs sysfs \"\$0/sys\" &&
            mount -t cgroup2 cgroup2 \"\$0/sys/fs/cgroup\" && mount -t tmpfs tmpfs \"\$0/run\" &&
            mount -t tmpfs tmpfs \"\$0/tmp\" && mount --bind /dev \"\$0/dev\" || exit 1
            exec chroot \"\$0\" /lib/systemd/systemd --system --log-target=console" "$3"
    ' boot-guest "$GUEST_CGROUP" "$netns" "$root" > "$log" 2>&1 &
    GUEST_LAUNCHER_PID=$!
    # The guest's PID 1 is the child that `unshare --fork` starts.
    GUEST_PID=
    for _ in $(seq 1 100); do
        GUEST_PID=$(awk '{ print $1 }' "/proc/$GUEST_LAUNCHER_PID/task/$GUEST_LAUNCHER_PID/children" 2>/dev/null)
        if [ -n "$GUEST_PID" ] && [ "$(cat "/proc/$GUEST_PID/comm" 2>/dev/null)" = systemd ]; then
            return 0
        fi
        kill -0 "$GUEST_LAUNCHER_PID" 2>/dev/null || { echo "boot-guest: the launcher exited:" >&2; cat "$log" >&2; return 1; }
        sleep 0.1
    done
    echo "boot-guest: systemd did not start (launcher $GUEST_LAUNCHER_PID)" >&2
    return 1
}

guest() {
    nsenter -t "$GUEST_PID" -a chroot "$GUEST_ROOT" \
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}

guest_wait_running() {
    local seconds=$1 state="" deadline=$((SECONDS + $1))
    # `--wait` needs systemd's bus, which appears a moment after PID 1 starts; until then systemctl fails.
    while [ $SECONDS -lt $deadline ]; do
        state=$(timeout 10 nsenter -t "$GUEST_PID" -a chroot "$GUEST_ROOT" systemctl is-system-running --wait \
            2>/dev/null) || true
        case $state in running | degraded | maintenance | stopping) break ;; esac
        sleep 0.2
    done
    [ "$state" = running ] && return 0
    echo "boot-guest: system state '$state' after ${seconds}s; failed units:" >&2
    guest systemctl --failed --no-legend >&2 || true
    return 1
}

guest_poweroff() {
    [ -n "$GUEST_LAUNCHER_PID" ] || return 0
    [ -z "$GUEST_PID" ] || kill -s SIGRTMIN+4 "$GUEST_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do
        kill -0 "$GUEST_LAUNCHER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$GUEST_LAUNCHER_PID" 2>/dev/null; then
        echo "boot-guest: no clean poweroff in 30 s; SIGKILL to the guest's PID 1 ($GUEST_PID)" >&2
        # Killing a PID namespace's init kills every process in it.
        [ -z "$GUEST_PID" ] || kill -KILL "$GUEST_PID" 2>/dev/null || true
        kill -KILL "$GUEST_LAUNCHER_PID" 2>/dev/null || true
    fi
    wait "$GUEST_LAUNCHER_PID" 2>/dev/null || true
    GUEST_PID=
    GUEST_LAUNCHER_PID=
}

guest_remove_cgroup() {
    local base
    [ -n "$GUEST_CGROUP" ] || return 0
    base=$(guest_cgroup2_mount) || return 1
    case $GUEST_CGROUP in
        "$base"/vpnse-boot-*) ;;
        *) echo "boot-guest: refusing to remove $GUEST_CGROUP" >&2; return 1 ;;
    esac
    [ -d "$GUEST_CGROUP" ] || { GUEST_CGROUP=; return 0; }
    find "$GUEST_CGROUP" -depth -type d -exec rmdir {} \; 2>/dev/null
    if [ -d "$GUEST_CGROUP" ]; then
        echo "boot-guest: cgroup $GUEST_CGROUP still busy: $(cat "$GUEST_CGROUP/cgroup.procs" 2>/dev/null)" >&2
        return 1
    fi
    GUEST_CGROUP=
}
