# 7. idle: after boot, with no press, the daemon makes no periodic wake-ups
# but systemd's watchdog ping (WatchdogSec=30: one every 15 s) and holds no
# audio device: another program can play on the card.
. /usr/local/lib/vm-rig/lib.sh
expect 300 "limber is up and idle" status_is idle
pid=$(systemctl show -p MainPID --value limber)
cs() { awk '/ctxt_switches/ {n += $2} END {print n}' "/proc/$pid/status"; }
# The 10 s measured fall between two pings: just after one, 15 s before the next.
wd() { systemctl show -p WatchdogTimestampMonotonic --value limber; }
w0=$(wd)
pinged() { [ "$(wd)" != "$w0" ]; }
expect 200 "a watchdog ping (WATCHDOG=1)" pinged
sleep 1
before=$(cs)
sleep 10
after=$(cs)
[ "$after" = "$before" ] || fail "the idle daemon woke up $((after - before)) times in 10 s"
ok "idle for 10 s without waking ($before -> $after context switches)"
if ls -l /proc/$pid/fd 2>/dev/null | grep -q /dev/snd/; then
	fail "the idle daemon has a sound device open: $(ls -l /proc/$pid/fd | grep /dev/snd/)"
fi
[ -z "$(pgrep -P "$pid")" ] || fail "the idle daemon has a child"
ok "no sound device open, no child"
aplay -q -D plughw:Loopback,0,0 /usr/share/limber/sounds/hold-start.wav ||
	fail "aplay cannot play on the card while limber is idle"
ok "aplay plays on the card (hw) while limber is idle"
aplay -q -D loopback_plug /usr/share/limber/sounds/hold-end.wav ||
	fail "aplay cannot play on loopback_plug while limber is idle"
ok "and on loopback_plug, the daemon's own device"
