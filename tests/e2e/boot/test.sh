#!/usr/bin/env bash
# The packages on a booted Debian 12 with systemd as PID 1 (topology and steps: README.md beside this file).
set -euo pipefail
# shellcheck source=../../support/e2e-daemon.sh
. "$(dirname "$0")/../../support/e2e-daemon.sh" boot
# shellcheck source=../../support/boot-guest.sh
. "$root/tests/support/boot-guest.sh"

for tool in mmdebstrap dpkg-buildpackage nsenter unshare; do
    command -v "$tool" >/dev/null || skip_or_fail "boot: needs $tool (scripts/deps installs it)"
done

a=''; unique_fixture_name a bT  # tests/support/names.sh
work=$(mktemp -d /tmp/vpnse-e2e-boot.XXXXXX)
R=$work/root
cleanup() {
    local status=$?
    set +e
    guest_poweroff
    guest_remove_cgroup || status=1
    "$fixture" down "$a" >/dev/null 2>&1
    [ "$status" -eq 0 ] || { echo "--- guest console (tail)"; tail -n 40 "$work/console.log" 2>/dev/null; }
    rm -rf "$work"
    check_nothing_left || status=1
    exit "$status"
}
trap cleanup EXIT
# The scenario's failures show the guest's vpnsed journal rather than a host log file.
fail() {
    echo "FAIL: $*" >&2
    [ -z "$GUEST_PID" ] || guest journalctl -u vpnsed --no-pager -n 40 >&2 || true
    exit 1
}

step "packages"
debs=${VPNSE_DEB_DIR:-}
if [ -z "$debs" ]; then
    debs=$work/debs
    "$root/scripts/build-packages" --out "$debs" --no-lintian
fi
version=$(dpkg-deb -f "$(ls "$debs"/vpnse_*.deb)" Version)
"$root/scripts/build-packages" --out "$work/debs-up" --version "$version+up1" --no-lintian

step "root file system"
# The packages' dependencies go into the cached root, so apt installs the .debs offline. First alternative of
# each, without version constraints (Debian 12's versions satisfy them).
mapfile -t depends < <(for deb in "$debs"/vpnse_*.deb "$debs"/libvpnse1_*.deb; do dpkg-deb -f "$deb" Depends; done |
    tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/:any//; s/ //g' | grep -v '^$' | grep -v '^libvpnse1$' | LC_ALL=C sort -u)
tarball=$("$root/tests/support/boot-rootfs" "${depends[@]}")
mkdir "$R"
tar -C "$R" -xf "$tarball"
mkdir -p "$R/var/tmp/debs" "$R/var/tmp/debs-up"
cp "$debs"/vpnse_*.deb "$debs"/libvpnse1_*.deb "$R/var/tmp/debs/"
cp "$work/debs-up"/vpnse_*.deb "$work/debs-up"/libvpnse1_*.deb "$R/var/tmp/debs-up/"

tracked_fixture_up "$a" auto > "$work/a.env"
# shellcheck disable=SC1090
. "$work/a.env"

boot() {
    guest_boot "$R" "$CLIENT_NS" "$work/console.log" || fail "boot"
    track_pid "$GUEST_PID" "$GUEST_LAUNCHER_PID"
    guest_wait_running 120 || fail "the guest did not reach 'running'"
}
reboot_guest() {
    guest_poweroff
    boot
}
# Polls the tunnel's state (as bob: reading needs no privilege) until it is WANTED, for up to 60 s.
wait_state() {
    local wanted=$1 state=""
    for _ in $(seq 1 120); do
        state=$(guest runuser -u bob -- vpnsectl --json status office 2>/dev/null |
            sed -n 's/^ *"state": "\([a-z_]*\)".*/\1/p' | head -n 1) || true
        [ "$state" = "$wanted" ] && return 0
        sleep 0.5
    done
    fail "office is '$state', expected '$wanted'"
}
# Routes, policy rules, links and resolv.conf: what vpnsed changes and must give back.
network_state() {
    guest sh -c 'ip -4 route show table all; ip -6 route show table all | grep -v "^local\|^multicast\|fe80::"
        ip rule; ip -o link show | cut -d: -f2; cat /etc/resolv.conf 2>/dev/null'
}

step "boot 1: install the packages"
boot
before=$(network_state)
guest sh -c 'apt-get install -y -q --no-install-recommends /var/tmp/debs/*.deb' > "$work/apt.log" 2>&1 ||
    { cat "$work/apt.log"; fail "apt-get install"; }
guest getent group vpnse >/dev/null || fail "no group vpnse after install"
[ "$(guest systemctl is-enabled vpnsed.service)" = enabled ] || fail "vpnsed.service not enabled"
[ "$(guest systemctl is-active vpnsed.service)" = active ] || fail "vpnsed.service not started by the install"
[ "$(guest stat -c %a /etc/vpnse/profiles)" = 700 ] || fail "/etc/vpnse/profiles is not 0700"
guest test -S /run/vpnse/vpnsed.sock || fail "no control socket"

step "a profile with autoconnect (full tunnel, kill switch, DNS), two users, reboot"
{
    echo "autoconnect = true"
    (
        tmp=$work/profile && mkdir -p "$tmp"
        daemon_profile "$tmp" office "$work/a.env" $'[network]\nroutes = "full"\ndns = true\nkill_switch = true'
        cat "$tmp/profiles/office.toml"
    )
} > "$R/etc/vpnse/profiles/office.toml"
chmod 0600 "$R/etc/vpnse/profiles/office.toml"
guest useradd --no-create-home --groups vpnse alice
guest useradd --no-create-home bob
reboot_guest
[ "$(guest systemctl is-active vpnsed.service)" = active ] || fail "vpnsed.service not active after boot"
[ -n "$(guest journalctl -u vpnsed -o cat --no-pager)" ] || fail "vpnsed logged nothing to the journal"
wait_state established
guest ping -c 2 -W 2 "$VPN_GATEWAY" >/dev/null || fail "no ping to $VPN_GATEWAY through the tunnel"
[ -z "$(guest systemctl --failed --no-legend)" ] || fail "failed units: $(guest systemctl --failed --no-legend)"

step "users: bob reads, alice (group vpnse) connects and disconnects"
guest runuser -u bob -- vpnsectl status office | grep established >/dev/null || fail "bob cannot read status"
guest runuser -u bob -- vpnsectl profiles show office | grep 'has_password = true' >/dev/null || fail "bob: profiles show"
rc=0; guest runuser -u bob -- vpnsectl disconnect office >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 4 ] || fail "bob's disconnect should exit 4 (got $rc)"
guest runuser -u alice -- vpnsectl disconnect office >/dev/null || fail "alice: disconnect"
wait_state disconnected
guest runuser -u alice -- vpnsectl connect office --timeout 30 >/dev/null || fail "alice: connect"

step "systemctl restart brings the tunnel back; stop gives the network back"
pid_before=$(guest systemctl show -P MainPID vpnsed.service)
guest systemctl restart vpnsed.service
[ "$(guest systemctl show -P MainPID vpnsed.service)" != "$pid_before" ] || fail "restart kept the PID"
wait_state established
guest systemctl stop vpnsed.service
after=$(network_state)
[ "$before" = "$after" ] || fail "network not restored after stop:$(diff <(echo "$before") <(echo "$after"))"
guest systemctl start vpnsed.service
wait_state established

step "upgrade to $version+up1 keeps the edited conffile"
guest sed -i 's/^log_level = .*/log_level = "debug"  # edited by the boot test/' /etc/vpnse/vpnsed.toml
pid_before=$(guest systemctl show -P MainPID vpnsed.service)
guest sh -c 'apt-get install -y -q /var/tmp/debs-up/*.deb' > "$work/apt-up.log" 2>&1 ||
    { cat "$work/apt-up.log"; fail "apt-get install (upgrade)"; }
# shellcheck disable=SC2016  # ${Version} is dpkg-query's field, not a shell variable
[ "$(guest dpkg-query -W -f '${Version}' vpnse)" = "$version+up1" ] || fail "vpnse not upgraded"
guest grep -q 'edited by the boot test' /etc/vpnse/vpnsed.toml || fail "the upgrade replaced the edited conffile"
[ "$(guest systemctl show -P MainPID vpnsed.service)" != "$pid_before" ] || fail "the upgrade did not restart vpnsed"
wait_state established

step "the journal: a full tunnel (whose kill switch must engage, or the tunnel fails), no warnings"
journal=$(guest journalctl -u vpnsed -o cat --no-pager)
grep -q 'tunnel configured .*mode=full' <<<"$journal" || fail "no full-tunnel configuration in the journal"
if grep -E '^(warn|error) ' <<<"$journal"; then fail "vpnsed logged warnings or errors"; fi

step "systemd-analyze security vpnsed.service"
guest systemd-analyze security --no-pager vpnsed.service | tail -n 1

step "purge"
files=$(guest dpkg-query -L vpnse libvpnse1)
guest apt-get purge -y -q vpnse libvpnse1 > "$work/apt-purge.log" 2>&1 ||
    { cat "$work/apt-purge.log"; fail "purge"; }
left=()
while read -r path; do
    [ -f "$R$path" ] && [ ! -L "$R$path" ] && left+=("$path")
done <<<"$files"
[ ${#left[@]} -eq 0 ] || fail "files left after purge: ${left[*]}"
for path in /etc/vpnse /var/lib/vpnse /run/vpnse; do
    guest test ! -e "$path" || fail "$path left after purge"
done
! guest getent group vpnse >/dev/null || fail "group vpnse left after purge"
if guest ip -o link show | grep vpnse >/dev/null; then fail "a TUN device is left after purge"; fi
echo "PASS boot"
