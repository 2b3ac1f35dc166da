# shellcheck shell=bash
# What an e2e test created, so that its cleanup can prove it all went (source it; bash). Needs $root.
#
#   tracked_fixture_up NAME ARGS...  se-fixture up, its two namespaces (TUNs, veths, servers) tracked
#   track_netns NS...                a namespace the test made itself
#   track_pid PID...                 a process the test started
#   check_nothing_left               last in the cleanup trap: fails (status 1), naming what is left
tracked_namespaces=()
tracked_pids=()

track_netns() { tracked_namespaces+=("$@"); }
track_pid() { tracked_pids+=("$@"); }

tracked_fixture_up() {
    track_netns "vse-s-$1" "vse-c-$1"
    "$root/tests/support/se-fixture" up "$@"
}

check_nothing_left() {
    local left=() ns pid
    for ns in "${tracked_namespaces[@]}"; do
        # No `grep -q` under pipefail: an early exit can kill the writer and fail the pipeline.
        ip netns list | grep -w -- "$ns" >/dev/null && left+=("netns $ns")
    done
    for pid in "${tracked_pids[@]}"; do
        if [ -e "/proc/$pid" ] && ! grep -q ') Z' "/proc/$pid/stat" 2>/dev/null; then
            left+=("pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null))")
        fi
    done
    [ ${#left[@]} -eq 0 ] && return 0
    echo "FAIL: left behind after cleanup: ${left[*]}" >&2
    return 1
}
