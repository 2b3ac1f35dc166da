# shellcheck shell=bash
# What an interpreter (python3, node) needs to load libvpnse.so from a sanitizer build: the sanitizer's
# runtime preloaded (an instrumented library cannot be loaded into an uninstrumented program otherwise), and
# no leak check at the interpreter's exit (its own allocations left at exit are not ours; the C driver
# checks libvpnse's). Empty outside a sanitizer build. VPNSE_SANITIZER_RUNTIME comes from the test's
# launcher, tests/support/sanitizer-reports.sh.
#   env "${INTERPRETER_ENV[@]}" python3 ...
INTERPRETER_ENV=()
if [ -n "${VPNSE_SANITIZER_RUNTIME:-}" ]; then
    # shellcheck disable=SC2034  # used by the scripts that source this file
    INTERPRETER_ENV=("LD_PRELOAD=$VPNSE_SANITIZER_RUNTIME" "ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0")
fi
