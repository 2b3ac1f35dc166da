#!/usr/bin/env bash
# The ABI check: libvpnse.so exports exactly the symbols in libvpnse/abi/vpnse.symbols (type, name and
# version node, as `nm -D` shows them), and its SONAME carries VPNSE_ABI_VERSION from vpnse.h. A removed
# or changed symbol breaks apps linked against an earlier build: that needs an ABI bump (new SONAME), not
# an edit of the list. A new function is fine: add its line to the list in the same commit.
# Usage: abi_check.sh LIBRARY SYMBOLS_FILE HEADER
set -euo pipefail
library=$1
expected=$2
header=$3
fail=0

actual=$(nm -D --defined-only --with-symbol-versions "$library" | awk '$2 != "A" { print $2, $3 }' | LC_ALL=C sort)
listed=$(grep -v '^#' "$expected" | grep -v '^$' | LC_ALL=C sort)

removed=$(LC_ALL=C comm -23 <(echo "$listed") <(echo "$actual"))
added=$(LC_ALL=C comm -13 <(echo "$listed") <(echo "$actual"))
if [ -n "$removed" ]; then
    echo "abi: symbols removed or changed (an ABI break: bump VPNSE_ABI_VERSION and the SONAME):" >&2
    echo "  ${removed//$'\n'/$'\n'  }" >&2
    fail=1
fi
if [ -n "$added" ]; then
    echo "abi: symbols exported but not in $expected (add them if they are meant to be public):" >&2
    echo "  ${added//$'\n'/$'\n'  }" >&2
    fail=1
fi
if echo "$actual" | awk '{ print $2 }' | grep -v '^vpnse_' >/dev/null; then
    echo "abi: exported symbols outside the vpnse_ prefix:" >&2
    echo "$actual" | awk '{ print $2 }' | grep -v '^vpnse_' | sed 's/^/  /' >&2
    fail=1
fi

abi=$(awk '$1 == "#define" && $2 == "VPNSE_ABI_VERSION" { print $3 }' "$header")
soname=$(readelf -d "$library" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" != "libvpnse.so.$abi" ]; then
    echo "abi: SONAME is '$soname', vpnse.h says ABI $abi (libvpnse.so.$abi)" >&2
    fail=1
fi
[ "$fail" -eq 0 ] && echo "abi: $(echo "$actual" | wc -l) symbols as listed, SONAME $soname"
exit "$fail"
