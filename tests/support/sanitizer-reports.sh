#!/usr/bin/env bash
# The launcher of a multi-process test in a sanitizer build (cmake/VpnseSanitize.cmake): every process the
# test starts writes its ASan/UBSan/LSan or TSan reports into REPORT_DIR instead of its stderr, and any
# report fails the test. A daemon's stderr is often a log file nobody reads, or the daemon is SIGKILLed or
# restarted over its log; a report in a file of its own is never lost that way.
#   sanitizer-reports.sh RUNTIME REPORT_DIR COMMAND [ARGS...]
# RUNTIME is the sanitizer's runtime library (libasan.so or libtsan.so); the test gets it as
# VPNSE_SANITIZER_RUNTIME to LD_PRELOAD into an interpreter that loads libvpnse.so (the bindings' tests).
set -uo pipefail
runtime=$1 reports=$2
shift 2

rm -rf "$reports"
mkdir -p "$reports"
# Writable for the processes a test runs as another user (the daemon test's non-member client).
chmod 1777 "$reports"
export VPNSE_SANITIZER_RUNTIME=$runtime
# log_exe_name: the report file names the program (report.vpnsed.1234). Ours come last, so they win over
# options the caller set.
common="log_path=$reports/report:log_exe_name=1"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}$common"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:$common"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}$common"
export TSAN_OPTIONS="${TSAN_OPTIONS:+$TSAN_OPTIONS:}$common"

"$@"
status=$?

mapfile -t found < <(find "$reports" -type f -name 'report*' | sort)
if [ ${#found[@]} -gt 0 ]; then
    echo "FAIL: ${#found[@]} sanitizer report(s) from the processes of this test (kept in $reports):" >&2
    for report in "${found[@]}"; do
        echo "--- $report" >&2
        head -n 80 "$report" >&2
    done
    exit 1
fi
exit "$status"
