# shellcheck shell=bash
# The common frame of the tests that drive libvpnse from another language (tests/ffi, bindings/*): the
# preconditions, a unique fixture name, a work directory and a cleanup that proves nothing is left, then
# the SoftEther fixture with a profile for it; INTERPRETER_ENV for the interpreters (interpreter-env.sh).
# Needs $root; source it, then:
#   profile_fixture_begin TAG PREFIX   skip/fail unless root and the server exist; sets name, work; trap set
#   profile_fixture_up PROFILE [TOML]  fixture up, its env sourced, $work/profiles/PROFILE.toml written
#                                      (TOML: extra profile text, as daemon_profile takes it)
# shellcheck source=skip.sh
. "$root/tests/support/skip.sh"
# shellcheck source=names.sh
. "$root/tests/support/names.sh"
# shellcheck source=leftovers.sh
. "$root/tests/support/leftovers.sh"
# shellcheck source=daemon-harness.sh
. "$root/tests/support/daemon-harness.sh"
# shellcheck source=interpreter-env.sh
. "$root/tests/support/interpreter-env.sh"

profile_fixture_begin() {
    local tag=$1 prefix=$2
    if [ "$(id -u)" -ne 0 ]; then skip_or_fail "$tag: needs root"; fi
    if [ ! -x /usr/libexec/softether/vpnserver/vpnserver ]; then
        skip_or_fail "$tag: needs softether-vpnserver (/usr/libexec/softether/vpnserver/vpnserver)"
    fi
    name=''
    unique_fixture_name name "$prefix"
    work=$(mktemp -d "/tmp/vpnse-$tag.XXXXXX")
    trap profile_fixture_cleanup EXIT
}

profile_fixture_cleanup() {
    set +e
    "$root/tests/support/se-fixture" down "$name" >/dev/null 2>&1
    rm -rf "$work"
    check_nothing_left || exit 1
}

profile_fixture_up() {
    tracked_fixture_up "$name" auto > "$work/env"
    # shellcheck disable=SC1091
    . "$work/env"
    daemon_profile "$work" "$1" "$work/env" "${2:-}"
}
