# 9. The packaged unit as it is, on the network and watched (one boot for
# both, to spare CI a second one):
#  MQTT: an mqtt: section (by reload) against the guest's own mosquitto,
#   under the unit's RestrictAddressFamilies: Home Assistant's discovery configs and
#   availability online; `start tiny` on limber/rig/cmd plays on the card
#   (status, the journal's "playing ... on", sound in the loopback capture);
#   the session's memory (MemoryPeak, to weigh MemoryMax=96M against).
#  Watchdog: the loop pings systemd (WATCHDOG=1); frozen with SIGSTOP, it is
#   killed by systemd's watchdog and restarted, and comes back idle and
#   online on MQTT (the broker's will said offline in between); while it is
#   frozen, systemd-analyze security scores the unit.
#  Last, `systemctl stop limber`: availability offline.
. /usr/local/lib/vm-rig/lib.sh
out=$VM_SHARE
id=rig
prop() { systemctl show -p "$1" --value limber; }
pub() { mosquitto_pub -h localhost -t "limber/$id/cmd" -m "$1"; }
# The retained message on a topic; nothing after 3 s.
retained() { mosquitto_sub -h localhost -t "$1" -C 1 -W 3 2>/dev/null || true; }
avail_is() { [ "$(retained limber/$id/availability)" = "$1" ]; }
now_us() { awk '{printf "%d\n", $1 * 1000000}' /proc/uptime; }
mb() { awk -v b="$1" 'BEGIN {printf "%.1f MB", b / 1048576}'; }
t_start=$(now_us)
lap() { echo "  ($(awk -v a="$t_start" -v b="$(now_us)" 'BEGIN {printf "%.1f", (b - a) / 1e6}') s into the scenario)"; }
subs=""
trap 'for p in $subs; do kill $p 2>/dev/null || true; done' EXIT

expect 300 "limber is up and idle" status_is idle
expect 300 "mosquitto is active" systemctl -q is-active mosquitto
broker_up() { mosquitto_pub -h localhost -t rig/hello -m x 2>/dev/null; }
expect 100 "the broker answers on localhost" broker_up

# --- MQTT ---------------------------------------------------------------
# Every availability message, in order, for the whole scenario.
stdbuf -oL mosquitto_sub -h localhost -t "limber/$id/availability" >$out/availability.txt 2>&1 &
subs="$subs $!"
cat >>/etc/limber/config.yaml <<EOF
mqtt:
  host: localhost
  id: $id
EOF
# As the README says to: edit the config, reload. (Not a restart: the
# daemon that has run since the boot keeps its watchdog pings going, at
# whatever phase, and its cgroup's memory peak counts from the boot.)
systemctl reload limber
expect 100 "reloaded (SIGHUP) with mqtt: in the config" journal_has "SIGHUP: reloading the config"
expect 300 "idle" status_is idle
expect 100 "the journal: connected to the broker" journal_has "MQTT connected to localhost:1883 as limber/$id"
expect 50 "limber/$id/availability: online (retained)" avail_is online
mosquitto_sub -h localhost -v -t "homeassistant/+/limber_$id/+/config" -C 9 -W 5 >$out/discovery.txt 2>/dev/null || true
n=$(grep -c . $out/discovery.txt || true)
[ "$n" = 9 ] || fail "$n discovery configs, not 9: $(cut -d' ' -f1 $out/discovery.txt)"
grep -v -q "\"availability_topic\":\"limber/$id/availability\"" $out/discovery.txt &&
	fail "a discovery config without limber/$id/availability: $(grep -v "limber/$id/availability" $out/discovery.txt)"
ok "9 Home Assistant discovery configs, each with the availability topic: $(cut -d' ' -f1 $out/discovery.txt | cut -d/ -f2,4 | tr '\n' ' ')"
lap

# A session started over MQTT; once its player has opened the card, what it
# plays (the first session's words on safety) recorded off the loopback.
pub "start tiny"
expect 300 "'start tiny' on limber/$id/cmd: status says playing tiny" status_has "^playing tiny"
echo "  status: $(status)"
state_playing() { retained limber/$id/state | grep -q '"state":"playing","routine":"tiny"'; }
expect 50 "limber/$id/state says playing tiny" state_playing
expect 300 "the journal: the player opened the card" journal_has "limber: playing Tiny on "
journalctl -b -u limber --no-pager -o cat | grep "playing Tiny on" | sed 's/^/  journal: /'
daemon=$(prop MainPID)
player=$(pgrep -P "$daemon" | head -n1)
[ -n "$player" ] || fail "no player process under the daemon"
vm-record 4 $out/mqtt.wav 2>$out/record.err || fail "vm-record: $(cat $out/record.err)"
hwm() { awk '/^VmHWM/ {print $2 " kB"}' "/proc/$1/status" 2>/dev/null; }
player_hwm=$(hwm "$player")
pub stop
expect 150 "'stop' on limber/$id/cmd: idle" status_is idle
journalctl -b -u limber --no-pager -o cat | grep "session tiny ended" | sed 's/^/  journal: /'
sox $out/mqtt.wav -n stat 2>$out/mqtt.stat || true
rms=$(awk '/^RMS +amplitude/ {print $3}' $out/mqtt.stat)
awk -v r="${rms:-0}" 'BEGIN {exit !(r > 0.002)}' ||
	fail "the loopback capture is silent (RMS amplitude ${rms:-none})"
ok "the loopback capture has the session's sound (RMS amplitude $rms over 4 s)"

# The memory of daemon and player together, in the unit's cgroup, since the
# boot. The player's peak is reached as it starts (its VmHWM and the
# cgroup's peak stay the same through the session's first step, measured).
peak=$(prop MemoryPeak) cur=$(prop MemoryCurrent)
cg=/sys/fs/cgroup$(prop ControlGroup)
ok "MemoryPeak $(mb "$peak") ($peak), MemoryCurrent $(mb "$cur") after the session; MemoryHigh $(prop MemoryHigh), MemoryMax $(prop MemoryMax)"
ok "peak resident: player $player_hwm, daemon $(hwm "$daemon"); cgroup now: $(awk '$1 == "anon" || $1 == "file" {printf "%s %s  ", $1, $2}' $cg/memory.stat)"
echo "MemoryPeak=$peak MemoryCurrent=$cur player_VmHWM=$player_hwm" >$out/memory.txt
[ "$peak" -lt "$(prop MemoryHigh)" ] || fail "the session reached MemoryHigh ($peak)"
grep -h "memory\|oom" $cg/memory.events 2>/dev/null | tr '\n' ' ' | sed 's/^/  memory.events: /'
echo
lap

# --- The watchdog -------------------------------------------------------
# A ping seen first (else a loop that never pings would pass too), then the
# freeze: the kill comes 30 s after that ping, whatever is done meanwhile,
# so this part is most of the scenario's time (the first ping is 15 s
# after the daemon's start, about where the scenario is by now).
expect 10 "the journal: the daemon found the watchdog" journal_has "limber: systemd watchdog: alive every 15000 ms"
[ "$(prop WatchdogUSec)" = 30s ] || fail "WatchdogUSec is $(prop WatchdogUSec)"
started=$(prop ExecMainStartTimestampMonotonic)
pinged() { [ $(($(prop WatchdogTimestampMonotonic) - started)) -ge 10000000 ]; }
expect 200 "systemd has had WATCHDOG=1 from the daemon's loop" pinged
n0=$(prop NRestarts)
last=$(prop WatchdogTimestampMonotonic)
t0=$(now_us)
kill -STOP "$daemon"
ok "froze the daemon (pid $daemon, SIGSTOP) $(((t0 - last) / 1000000)) s after its last ping"
# While it is frozen (nothing here needs it): the unit's exposure score.
systemd-analyze security limber --no-pager >$out/security.txt 2>&1 || true
ok "systemd-analyze security limber: $(tail -n1 $out/security.txt)"
expect 450 "systemd's watchdog fires" journal_has "limber.service: Watchdog timeout"
t1=$(now_us)
[ $(((t1 - last) / 1000000)) -ge 29 ] && [ $(((t1 - last) / 1000000)) -le 40 ] ||
	fail "the watchdog fired $(((t1 - last) / 1000000)) s after the last ping, not 30"
ok "it fired $(((t1 - t0) / 1000000)) s after the freeze, $(((t1 - last) / 1000000)) s after the last ping (WatchdogSec=30)"
restarted() {
	p=$(prop MainPID)
	[ "$p" != 0 ] && [ "$p" != "$daemon" ] && systemctl -q is-active limber
}
expect 300 "systemd restarted it: a new main process, active" restarted
[ "$(prop NRestarts)" = $((n0 + 1)) ] || fail "NRestarts is $(prop NRestarts), was $n0"
ok "NRestarts $n0 -> $(prop NRestarts), MainPID $daemon -> $(prop MainPID)"
journalctl -b -u limber --no-pager -o cat | grep -E "Watchdog|SIGABRT|Main process exited|Failed with|restart" |
	sed 's/^/  journal: /'
journal_has "Failed with result 'watchdog'" || fail "the unit did not fail with result 'watchdog'"
expect 300 "the new daemon answers: idle" status_is idle
expect 100 "and is back online on MQTT" avail_is online
lap

# --- A clean stop ---------------------------------------------------------
systemctl stop limber
expect 50 "systemctl stop: limber/$id/availability: offline" avail_is offline
sleep 0.5
echo "  availability, as a subscriber saw it all along: $(tr '\n' ' ' <$out/availability.txt)"
[ "$(tr '\n' ' ' <$out/availability.txt)" = "online offline online offline " ] ||
	fail "availability went $(tr '\n' ' ' <$out/availability.txt), not online (the reload), offline (the watchdog's kill: the will), online, offline (the stop)"
ok "online, offline (the broker's will, at the watchdog's kill), online, offline (the stop)"
if journal_has "Address family not supported"; then
	fail "$(journalctl -b -u limber --no-pager -o cat | grep "Address family not supported")"
fi
ok "no 'Address family not supported' in the journal"
if journal_has "going on without MQTT\|MQTT broker .*trying again"; then
	fail "MQTT trouble: $(journalctl -b -u limber --no-pager -o cat | grep "MQTT")"
fi
ok "no MQTT error in the journal"
journalctl -b -u limber --no-pager -o cat >$out/limber.journal
lap
