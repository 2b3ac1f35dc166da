# shellcheck shell=bash
# unique_fixture_name VAR PREFIX: sets VAR to a se-fixture NAME (at most 8 characters of [A-Za-z0-9_]) that cannot collide
# with a concurrent run: the first 2 characters of PREFIX, this shell's PID in base 36 (at most 5 digits,
# unique among live processes) and a per-process counter digit; a name whose namespaces or state already
# exist (a crashed run's leftovers with a reused PID) is passed over. Cutting "prefix$$" to 8 characters,
# as before, let two 7-digit PIDs map to one name. (It sets VAR instead of printing, so the counter
# survives: `a=$(...)` would run in a subshell and hand out the same name twice.)
VPNSE_NAME_COUNTER=${VPNSE_NAME_COUNTER:-0}
unique_fixture_name() {
    local -n out_name=$1  # VAR must not be one of the locals below (_ufn_*)
    shift
    local _ufn_prefix=${1:0:2} _ufn_digits=0123456789abcdefghijklmnopqrstuvwxyz _ufn_pid=$$ _ufn_b36='' _ufn_cand
    [[ $_ufn_prefix =~ ^[A-Za-z0-9_]{1,2}$ ]] || { echo "unique_fixture_name: bad prefix '$1'" >&2; return 1; }
    while :; do
        _ufn_b36=${_ufn_digits:_ufn_pid%36:1}$_ufn_b36
        _ufn_pid=$((_ufn_pid / 36))
        ((_ufn_pid > 0)) || break
    done
    while ((VPNSE_NAME_COUNTER < 36)); do
        _ufn_cand=$_ufn_prefix$_ufn_b36${_ufn_digits:VPNSE_NAME_COUNTER:1}
        VPNSE_NAME_COUNTER=$((VPNSE_NAME_COUNTER + 1))
        if [[ ! -e /run/netns/vse-s-$_ufn_cand && ! -e /run/netns/vse-c-$_ufn_cand &&
            ! -e ${VSE_FIXTURE_DIR:-/run/vse-fixture}/$_ufn_cand ]]; then
            # shellcheck disable=SC2034  # out_name is a nameref to the caller's VAR
            out_name=$_ufn_cand
            return 0
        fi
    done
    echo "unique_fixture_name: no free name for prefix $_ufn_prefix" >&2
    return 1
}
