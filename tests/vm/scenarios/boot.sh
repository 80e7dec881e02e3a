# 1. boot: systemd started the daemon, hardened as the unit says.
. /usr/local/lib/vm-rig/lib.sh

expect 300 "limber.service is active" systemctl -q is-active limber
pid=$(systemctl show -p MainPID --value limber)
user=$(ps -o user= -p "$pid")
[ "$user" = limber ] || fail "the daemon runs as $user, not limber"
ok "the daemon (pid $pid) runs as user limber, groups: $(ps -o supgrp= -p "$pid")"
expect 50 "its socket is in /run/limber" test -S $sock
perm=$(stat -c '%U:%G %a' $sock)
[ "$perm" = "limber:limber 660" ] || fail "socket is $perm, not limber:limber 660"
ok "socket $sock is $perm; /run/limber is $(stat -c '%U:%G %a' /run/limber)"
expect 50 "root (as the admin) talks to it: idle" status_is idle
id outsider
if runuser -u outsider -- limber ctl --socket $sock status >/tmp/out.txt 2>&1; then
	fail "a user outside the limber group talked to the daemon: $(cat /tmp/out.txt)"
fi
ok "a user outside the limber group cannot: $(cat /tmp/out.txt)"
runuser -u limber -g limber -- limber ctl --socket $sock status >/tmp/in.txt 2>&1 ||
	fail "a member of the limber group cannot talk to it: $(cat /tmp/in.txt)"
ok "the limber group can: $(cat /tmp/in.txt)"
journal_has "GPIO" && journalctl -b -u limber --no-pager -o cat | grep -i gpio | sed 's/^/  journal: /'
if journalctl -b -u limber --no-pager -o cat | grep -q "GPIO chip.*going on without"; then
	fail "the daemon did not find the button"
fi
ok "the daemon found the gpio-sim button by label and line name"
echo "  audio outputs as the daemon sees them:"
runuser -u limber -- limber devices 2>&1 | sed 's/^/    /'
systemd-analyze security limber --no-pager >/tmp/sec.txt 2>&1 || true
tail -n1 /tmp/sec.txt | sed 's/^/  systemd-analyze security: /'
cp /tmp/sec.txt "$VM_SHARE/security.txt"
