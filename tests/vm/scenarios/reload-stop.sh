# 6. `systemctl reload limber` (SIGHUP) during a session, then `systemctl
# stop limber`: the session is recorded as interrupted, the unit stops
# within 3 s, and no process of it is left.
. /usr/local/lib/vm-rig/lib.sh
expect 300 "limber is up and idle" status_is idle
ctl start live >/dev/null
expect 600 "live plays" status_has "^playing live, step 1 of 3"
systemctl reload limber
expect 100 "reload mid-session: the daemon waits for the session" journal_has "SIGHUP: reloading when this ends"
sleep 1
status_has "^playing live" || fail "the reload cut the session"
ok "the session plays on through the reload: $(status)"
cg=/sys/fs/cgroup$(systemctl show -p ControlGroup --value limber)
echo "  processes in $cg: $(cat "$cg/cgroup.procs" | tr '\n' ' ')"
t0=$(date +%s%N)
systemctl stop limber
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
echo "  systemctl stop took $ms ms"
[ $ms -le 3000 ] || fail "the unit took $ms ms to stop"
ok "the unit stopped within 3 s ($ms ms)"
journalctl -b -u limber --no-pager -o cat | tail -n 8 | sed 's/^/  journal: /'
journalctl -b -u limber --no-pager -o cat | grep -q "limber.service: Killing process" &&
	fail "systemd had to kill what was left"
left=$(pgrep -u limber || true)
[ -z "$left" ] || fail "processes of limber left: $left"
[ ! -e "$cg" ] || [ -z "$(cat "$cg/cgroup.procs" 2>/dev/null)" ] || fail "the unit's cgroup is not empty"
ok "no process left (none of user limber, the cgroup gone)"
systemctl show -p Result --value limber | grep -qx success || fail "the unit's result: $(systemctl show -p Result --value limber)"
ok "the unit's result: success"
limber history --tsv --state-dir /var/lib/limber >/tmp/h.tsv
sed 's/^/  history: /' /tmp/h.tsv
awk -F'\t' '$3 == "live" && $7 == "interrupted"' /tmp/h.tsv | grep -q . ||
	fail "the session is not recorded as interrupted"
ok "the session is recorded as interrupted"
