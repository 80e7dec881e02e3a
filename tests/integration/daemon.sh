#!/bin/sh
# `limber daemon` end to end on a paced sink (a private JACK server with the
# dummy driver): a bad config refused; idle, it holds no audio port and
# does not wake up; the spoken menu through the main button (`ctl press`,
# `ctl hold`): where does it hurt, a place's programme, the routines by
# name, the safety words, and when to see a doctor before the first session
# on a fresh state directory; the morning caution (a routine that bends
# deeply, in the morning: the morning routine offered, or played anyway);
# a session started, paused, resumed, moved on and stopped
# over the control socket; garbage and floods on the socket; SIGHUP; and
# SIGTERM in the middle of a session.
set -u
limber=$1 abuse=$2 out=$3
rm -rf "$out"
mkdir -p "$out/routines"
. "$(dirname "$0")/checks.sh"

. "$(dirname "$0")/jack.sh"
dpid=""
cleanup() {
	[ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null
	jack_down
	wait 2>/dev/null
}
trap cleanup EXIT INT TERM
jack_up

cp tests/data/live.yaml "$out/routines/live.yaml"
cp tests/data/tiny.yaml "$out/routines/tiny.yaml"
sock=$out/limber.sock
ctl() { "$limber" ctl --socket "$sock" "$@"; }
limber_ports() { jack_lsp 2>/dev/null | grep -c '^limber'; }
# Processes of this build's binary matching $1 (other worktrees' tests run limber too).
ours() {
	for p in $(pgrep -f "$1"); do
		[ "$(readlink "/proc/$p/exe")" = "$(readlink -f "$limber")" ] && echo "$p"
	done
}
# The daemon's child (the menu's voice or the session), if any.
session_kid() { pgrep -P "$dpid" | head -1; }
# 1. A bad config is refused at start, with where and what.
printf 'volume_db: -6\nbuttons:\n  - {chip: x, line: GPIO17, action: jump}\n' >"$out/bad.yaml"
"$limber" daemon --config "$out/bad.yaml" --socket "$sock" 2>"$out/bad.err"
rc=$?
check '[ $rc -ne 0 ] && grep -q "bad.yaml:3:[0-9]*: " "$out/bad.err"' \
	"bad config refused with file:line:col: $(head -1 "$out/bad.err")"
check '[ ! -e "$sock" ]' "nothing left behind by a refused start"

# 2. The daemon, with a GPIO button and an input device this machine does not have.
cat >"$out/config.yaml" <<EOF
default_routine: live
morning_until: "00:00"
buttons:
  - {chip: pinctrl-bcm2711, line: GPIO17}
inputs:
  - {name: No Such Clicker}
EOF
"$limber" daemon --config "$out/config.yaml" --socket "$sock" --routines "$out/routines" \
	--state-dir "$out/state" 2>"$out/daemon.log" &
dpid=$!
within '[ -S "$sock" ]' 50 || { bad "the daemon did not start"; cat "$out/daemon.log"; exit 1; }
check 'grep -q "GPIO chip .pinctrl-bcm2711.*going on without this button" "$out/daemon.log"' \
	"a missing GPIO chip is a warning, not the end"
check '[ "$(stat -c %a "$sock")" = 660 ]' "control socket is mode 0660"
check '[ "$(ctl status)" = idle ]' "idle status"

# Idle: no audio port, no child, and no wake-ups at all.
sleep 1
cs() { awk '/ctxt_switches/ {n += $2} END {print n}' "/proc/$dpid/status"; }
before=$(cs)
sleep 3
after=$(cs)
check '[ "$after" = "$before" ]' "idle daemon slept for 3 s without waking ($before -> $after context switches)"
check '[ "$(limber_ports)" = 0 ]' "idle daemon holds no audio port"
check '[ -z "$(pgrep -P $dpid)" ]' "idle daemon has no child"

# 3. The spoken menu, through the main button: where does it hurt, place by place, then
#    the routines by name.
check '[ "$(ctl press)" = "ok press" ]' "press: the menu"
check 'within "[ \"\$(limber_ports)\" -gt 0 ]" 50' "the menu speaks (a JACK port while it talks)"
check '[ "$(ctl status)" = "idle, asking where it hurts: lower back" ]' \
	"it asks where it hurts, the lower back first"
ctl hold >/dev/null
check '[ "$(ctl status)" = "idle, asking where it hurts: upper back" ]' "hold: the next place"
ctl hold >/dev/null
ctl hold >/dev/null
ctl hold >/dev/null
check '[ "$(ctl status)" = "idle, asking where it hurts: neck" ]' "the five places, in the guide's order"
ctl hold >/dev/null
check '[ "$(ctl status)" = "idle, asking: choose a routine by name" ]' "after them: by name"
ctl press >/dev/null
check '[ "$(ctl status)" = "idle, offering live" ]' "press: the routines, the default one first"
ctl hold >/dev/null
check 'within "[ \"\$(ctl status)\" != \"idle, offering live\" ]" 20' "hold: the next routine"
echo "  status: $(ctl status)"
offered=$(ctl status | sed 's/idle, offering //')
check 'within "[ \"\$(limber_ports)\" -gt 0 ]" 50' "the next routine is spoken"
ctl press >/dev/null
check 'within "ctl status | grep -q \"^playing $offered\"" 100' "press: the routine offered starts"
check 'within "grep -q \"first session here: first, when to see a doctor\" \"\$out/daemon.log\"" 100' \
	"a fresh state directory: the first session begins with when to see a doctor"
ctl stop >/dev/null
check 'within "[ \"\$(ctl status)\" = idle ]" 60' "stop: idle again"
check 'within "[ \"\$(limber_ports)\" = 0 ]" 60' "and the audio port is let go"

# 3b. The guided choice: a place, then its programme at the level reached (beginner: no
#     history of it), started with a press; no routine's name needed.
ctl press >/dev/null
ctl hold >/dev/null
check '[ "$(ctl status)" = "idle, asking where it hurts: upper back" ]' "wake, hold: upper back"
ctl press >/dev/null
check '[ "$(ctl status)" = "idle, offering upper-back/beginner" ]' \
	"press: the upper back's programme, at beginner"
ctl hold >/dev/null
check '[ "$(ctl status)" = "idle, asking where it hurts: sciatic" ]' "hold: no, the next place"
ctl press >/dev/null
check '[ "$(ctl status)" = "idle, offering sciatic/beginner" ]' "press: the sciatic programme"
ctl press >/dev/null
check 'within "ctl status | grep -q \"^playing sciatic/beginner\"" 100' "press: it starts"
ctl stop >/dev/null
check 'within "[ \"\$(ctl status)\" = idle ]" 80' "stop: idle"

# 3c. The safety words, from the menu at any time: after the places and "by name".
ctl press >/dev/null
for i in 1 2 3 4 5 6; do ctl hold >/dev/null; done
check '[ "$(ctl status)" = "idle, offering the safety words" ]' "six holds: Safety"
ctl press >/dev/null
check '[ "$(ctl status)" = "idle, saying when to see a doctor" ]' "press: when to see a doctor"
check 'within "[ \"\$(limber_ports)\" -gt 0 ]" 50' "and it is spoken"
ctl hold >/dev/null
check '[ "$(ctl status)" = "idle, asking where it hurts: lower back" ]' "hold: round to the places again"
ctl stop >/dev/null
within '[ "$(limber_ports)" = 0 ]' 60
flags=$(grep -c "first session here" "$out/daemon.log")

# 4. A session over the socket.
check '[ "$(ctl start live)" = "ok starting live" ]' "start live"
check 'within "ctl status | grep -q \"^playing live, step 1 of 3: One\"" 100' "playing, step 1"
check 'within "ctl status | grep -q \"^playing live, step 1 of 3: One, right side, \"" 100' \
	"the side being worked: right"
echo "  status: $(ctl status)"
ctl start tiny >/dev/null 2>"$out/busy.err"
rc=$?
check '[ $rc = 1 ] && grep -q "live is playing" "$out/busy.err"' "a second start is refused while playing"
ctl start ../../etc/passwd >/dev/null 2>&1
rc=$?
check '[ $rc = 2 ]' "a path is not a routine name"
check '[ "$(ctl pause)" = "ok pause" ]' "pause"
check 'within "ctl status | grep -q ^paused" 30' "paused"
echo "  status: $(ctl status)"
left1=$(ctl status | sed 's/.*, \([0-9:]*\) left/\1/')
sleep 1.5
left2=$(ctl status | sed 's/.*, \([0-9:]*\) left/\1/')
check '[ "$left1" = "$left2" ]' "time left stands still while paused ($left1, $left2)"
check '[ "$(ctl pause)" = "ok paused already" ]' "pause when paused says so"
check '[ "$(ctl resume)" = "ok resume" ]' "resume"
check 'within "ctl status | grep -q \"^playing live\"" 50' "playing again"
ctl next >/dev/null
check 'within "ctl status | grep -q \"step 2 of 3\"" 80' "next: step 2"
echo "  status: $(ctl status)"

# 5. Abuse of the socket while the session plays.
"$abuse" "$sock" >"$out/abuse.txt" 2>&1
rc=$?
sed 's/^/  /' "$out/abuse.txt"
check '[ $rc = 0 ]' "the socket survives floods, garbage and half-open clients"
check 'ctl status | grep -q "^playing live"' "the session played on through it"

ctl stop >/dev/null
check 'within "[ \"\$(ctl status)\" = idle ]" 80' "stop ends the session"
check 'within "[ \"\$(limber_ports)\" = 0 ]" 60' "idle again: no audio port"
check 'grep -q "session live ended (exit 0)" "$out/daemon.log"' "the session child ended cleanly"

# 6. SIGHUP reloads between sessions; during one, when it ends (inputs and all).
kill -HUP "$dpid"
check 'within "grep -q \"SIGHUP: reloading the config\" \"$out/daemon.log\"" 30' "SIGHUP reloads"
check '[ "$(ctl status)" = idle ]' "and the daemon goes on"
ctl start live >/dev/null
within "ctl status | grep -q '^playing live, step 1'" 100
kill -HUP "$dpid"
check 'within "grep -q \"reloading when this ends\" \"$out/daemon.log\"" 30' "SIGHUP mid-session waits"
ctl stop >/dev/null
check 'within "[ \"\$(grep -c \"SIGHUP: reloading the config\" \"$out/daemon.log\")\" -ge 2 ] && [ \"\$(ctl status)\" = idle ]" 100' \
	"then reloads when it ends"
ctl press >/dev/null
check 'within "ctl status | grep -q \"^idle, asking where it hurts\"" 30' "and the button still works after it"
ctl stop >/dev/null

# 6b. A start while the menu speaks waits for the menu's child; a SIGHUP then
#     reloads first. The list read again has a routine more before it (aaa): the
#     start keeps its routine by name, not by its old place in the list.
ctl press >/dev/null
within "ctl status | grep -q '^idle, asking where it hurts'" 30
reloads=$(grep -c "SIGHUP: reloading the config" "$out/daemon.log")
cp tests/data/tiny.yaml "$out/routines/aaa.yaml"
kill -HUP "$dpid"
within "[ \"\$(grep -c 'reloading when this ends' \"$out/daemon.log\")\" -ge 2 ]" 30
check '[ "$(ctl start live)" = "ok starting live" ]' "a start while the menu speaks"
check 'within "ctl status | grep -q \"^playing live, step 1\"" 100 &&
	[ "$(grep -c "SIGHUP: reloading the config" "$out/daemon.log")" -gt "$reloads" ]' \
	"after the reload it plays that routine, not the one now at its old place"
ctl stop >/dev/null
within '[ "$(ctl status)" = idle ] && [ -z "$(session_kid)" ]' 80
rm "$out/routines/aaa.yaml"
kill -HUP "$dpid"
within "[ \"\$(grep -c 'SIGHUP: reloading the config' \"$out/daemon.log\")\" -gt $((reloads + 1)) ]" 30

# 7. A session to its end, and the pain rating asked for after it: three presses, three.
ctl start tiny >/dev/null
check 'within "ctl status | grep -q \"asking for a pain rating\"" 600' "a finished session asks for a pain rating"
ctl press >/dev/null
ctl press >/dev/null
ctl press >/dev/null
check 'within "[ \"\$(ctl status)\" = idle ]" 100' "three presses, then quiet: done"
check '"$limber" history --tsv --state-dir "$out/state" | grep -q "	tiny	.*	finished	1	1	3	"' \
	"history: tiny finished, pain 3"
check '[ "$(grep -c "first session here" "$out/daemon.log")" = "$flags" ]' \
	"once a session was heard, the later ones do not repeat when to see a doctor"

# 8. kill -9 mid-session (a pulled plug, for the session): the menu offers to go on
#    from the step that was cut, and the history has both halves.
ctl start live >/dev/null
within "ctl status | grep -q '^playing live, step 1'" 100
ctl next >/dev/null
within "ctl status | grep -q '^playing live, step 2'" 80
# `limber history` while it plays must leave the playing session open: the
# player the daemon started is a limber, though it was started as /proc/self/exe.
check '"$limber" history --tsv --state-dir "$out/state" | awk -F"\t" "\$3 == \"live\"" | head -n1 |
	grep -q "	running	"' "history during a session: the session is still running, not interrupted"
check '[ "$(cat /proc/"$(pgrep -P "$dpid")"/comm)" = limber ]' "the player's process is named limber"
kill -9 "$(pgrep -P "$dpid")"
check 'within "[ \"\$(ctl status)\" = idle ]" 50' "kill -9 of the session: the daemon goes on, idle"
ctl press >/dev/null
check 'within "[ \"\$(ctl status)\" = \"idle, offering to resume live at step 2\" ]" 30' \
	"the menu's first offer is to resume at the step that was cut"
ctl press >/dev/null
check 'within "ctl status | grep -q \"^playing live, step 2 of 3: Two\"" 100' "press: it goes on at step 2"
ctl stop >/dev/null
within '[ "$(ctl status)" = idle ]' 80
"$limber" history --tsv --state-dir "$out/state" >"$out/history.tsv"
sed 's/^/  /' "$out/history.tsv"
check 'awk -F"\t" "\$3 == \"live\" && \$7 == \"interrupted\" && \$8 == 1" "$out/history.tsv" | grep -q .' \
	"history: the killed session, interrupted after step 1"
check 'awk -F"\t" "\$3 == \"live\" && \$7 == \"stopped\" && \$11 != 0" "$out/history.tsv" | grep -q .' \
	"history: its continuation, stopped, resumed from it"

# 8b. The session's player crashes (alsa-lib's dmix has been seen to abort): the
#     daemon resumes it at once from the step that was cut, as a press on the offer
#     would; once more if it crashes again in that step; then it leaves it to the menu.
resumed_from() { # $1: the crashed child's pid; a new child plays step 2
	k=$(session_kid)
	[ -n "$k" ] && [ "$k" != "$1" ] && ctl status | grep -q "^playing live, step 2 of 3"
}
ctl start live >/dev/null
within "ctl status | grep -q '^playing live, step 1'" 100
ctl next >/dev/null
within "ctl status | grep -q '^playing live, step 2'" 80
kid=$(session_kid)
kill -ABRT "$kid"
check 'within "resumed_from $kid" 100' "a crash (SIGABRT) mid-session: resumed at once, at step 2"
check 'grep -q "crashed (signal 6); resuming it at the step that was cut (1 of 2" "$out/daemon.log"' \
	"the journal says what happened"
kid=$(session_kid)
kill -ABRT "$kid"
check 'within "resumed_from $kid" 100' "crashed again in that step: resumed once more"
kill -ABRT "$(session_kid)"
check 'within "[ \"\$(ctl status)\" = idle ]" 50 && grep -q "crashed again in step 2; not resuming" "$out/daemon.log"' \
	"a third crash in that step: left to the menu, no loop"
ctl press >/dev/null
check 'within "[ \"\$(ctl status)\" = \"idle, offering to resume live at step 2\" ]" 30' \
	"and the menu offers it"
ctl stop >/dev/null
# "idle" comes as the menu stops; its child may still be going.
within '[ "$(ctl status)" = idle ] && [ -z "$(session_kid)" ]' 80

# 9. The routine directory changed under the running daemon.
rm "$out/routines/tiny.yaml"
ctl start tiny >/dev/null 2>"$out/gone.err"
rc=$?
check '[ $rc = 1 ] && grep -q "does not load" "$out/gone.err"' "a routine deleted under it: a clear error"
cp tests/data/live.yaml "$out/routines/extra.yaml"
cp tests/data/tiny.yaml "$out/routines/tiny.yaml"
kill -HUP "$dpid"
check 'within "[ \"\$(ctl start extra)\" = \"ok starting extra\" ]" 30' "one added, after SIGHUP: it starts"
ctl stop >/dev/null
within '[ "$(ctl status)" = idle ]' 80

# 10. The JACK server killed and started again in the middle of a session.
ctl start live >/dev/null
within "ctl status | grep -q '^playing live, step 1'" 100
jack_down -KILL
sleep 1
jack_up
check 'within "ctl status | grep -q \"^playing live, step [23]\"" 300' \
	"the sound server killed and back: the session goes on"
echo "  status: $(ctl status)"
ctl stop >/dev/null
check 'within "[ \"\$(ctl status)\" = idle ]" 100' "and stops"

# 11. SIGTERM in the middle of a session: said, stopped, exit 0, promptly.
ctl start tiny >/dev/null
within "ctl status | grep -q '^playing tiny, step'" 100
kids=$(pgrep -P "$dpid" | tr '\n' ' ')
t0=$(date +%s%N)
kill -TERM "$dpid"
wait "$dpid"
rc=$?
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
dpid=""
check '[ $rc = 0 ]' "SIGTERM: exit status 0"
echo "  SIGTERM to exit: $ms ms"
check '[ $ms -lt 3000 ]' "SIGTERM ends the session and the daemon within seconds ($ms ms)"
check '[ ! -e "$sock" ]' "the socket is removed"
# The daemon's own children, by pid: the session child's command line is
# "limber run --input /dev/fd/3 ... NAME", which "limber run $out" never matched.
left=""
for k in $kids; do kill -0 "$k" 2>/dev/null && left="$left $k: $(tr '\0' ' ' <"/proc/$k/cmdline" 2>/dev/null)"; done
check '[ -n "$kids" ] && [ -z "$left" ]' "no session child is left (children were: ${kids:-none};${left:- none alive})"
check 'within "[ \"\$(limber_ports)\" = 0 ]" 30' "no audio port is left"
check '"$limber" history --tsv --state-dir "$out/state" | grep -q "	tiny	.*	interrupted	"' \
	"history: the session SIGTERM ended is interrupted, to be resumed"

# 12a. The morning caution, on a daemon whose local time is 8 in the morning (TZ): a
#      routine that bends deeply is met by the morning routine; a hold plays it anyway.
h=$(date -u +%H | sed 's/^0//')
mtz="LMB$(((h - 8 + 24) % 24))"
mkdir -p "$out/morning"
{ sed 's/^name: Tiny/name: Deep bend/' tests/data/tiny.yaml; echo "morning_caution: true"; } \
	>"$out/morning/bend.yaml"
printf 'default_routine: bend\nmorning_until: "10:00"\n' >"$out/morning.yaml"
msock=$out/morning.sock
TZ=$mtz "$limber" daemon --config "$out/morning.yaml" --socket "$msock" --routines "$out/morning" \
	--state-dir "$out/mstate" 2>"$out/morning.log" &
dpid=$!
within '[ -S "$msock" ]' 50
mctl() { "$limber" ctl --socket "$msock" "$@"; }
mctl press >/dev/null
for i in 1 2 3 4 5; do mctl hold >/dev/null; done
mctl press >/dev/null
check '[ "$(mctl status)" = "idle, offering bend" ]' "morning: the routine that bends, by name"
mctl press >/dev/null
check '[ "$(mctl status)" = "idle, offering daily/morning instead of bend (morning caution)" ]' \
	"press: the caution, and the morning routine offered instead"
mctl press >/dev/null
check 'within "mctl status | grep -q \"^playing daily/morning\"" 100' "press: the morning routine plays"
mctl stop >/dev/null
within '[ "$(mctl status)" = idle ]' 80
kill -HUP "$dpid"   # the list offers the last one played first; a reload, the default again
within 'grep -q "SIGHUP: reloading the config" "$out/morning.log"' 30
mctl press >/dev/null
for i in 1 2 3 4 5; do mctl hold >/dev/null; done
mctl press >/dev/null
mctl press >/dev/null
mctl hold >/dev/null
check 'within "mctl status | grep -q \"^playing bend\"" 100' "hold: the routine that bends, anyway"
check '[ -n "$(ours "limber run .*--morning-until 00:00.* bend")" ]' \
	"and its session does not say the caution again"
mctl stop >/dev/null
within '[ "$(mctl status)" = idle ]' 80
kill -TERM "$dpid"
wait "$dpid"
dpid=""

# 12. SIGTERM at the other moments: idle, mid-menu, mid-goodbye. Each: exit 0, nothing left.
term_at() {
	phase=$1
	"$limber" daemon --config "$out/config.yaml" --socket "$sock" --routines "$out/routines" \
		--state-dir "$out/state" 2>"$out/term-$phase.log" &
	dpid=$!
	# A socket left by the daemon before would let this one be signalled before it is up.
	[ -e "$sock" ] && bad "SIGTERM while $phase: a socket is left over from before: $(ls -l "$sock")"
	within '[ -S "$sock" ]' 50 || bad "SIGTERM while $phase: the daemon did not come up in 5 s: $(tail -3 "$out/term-$phase.log")"
	case $phase in
	menu) ctl press >/dev/null; within '[ -n "$(pgrep -P $dpid)" ]' 20 ;;
	goodbye)
		ctl start live >/dev/null
		within "ctl status | grep -q '^playing live, step 1'" 100
		ctl stop >/dev/null ;;
	esac
	# This daemon's own children, not every limber on the machine (other
	# daemons' children, another test's, would fail the check).
	kids=$(pgrep -P "$dpid" | tr '\n' ' ')
	t0=$(date +%s%N)
	kill -TERM "$dpid"
	wait "$dpid"
	rc=$?
	t1=$(date +%s%N)
	left=""
	for k in $kids; do kill -0 "$k" 2>/dev/null && left="$left $k: $(tr '\0' ' ' <"/proc/$k/cmdline" 2>/dev/null)"; done
	check '[ $rc = 0 ]' "SIGTERM while $phase: exit 0 (got $rc after $(((t1 - t0) / 1000000)) ms)"
	check '[ ! -e "$sock" ]' "SIGTERM while $phase: socket gone"
	check '[ -z "$left" ]' "SIGTERM while $phase: no child left (children were: ${kids:-none};${left:- none alive})"
	[ $rc = 0 ] && [ ! -e "$sock" ] && [ -z "$left" ] || sed 's/^/  daemon: /' "$out/term-$phase.log"
	dpid=""
}
term_at idle
term_at menu
term_at goodbye

echo "daemon: $pass passed, $fail failed"
[ "$fail" = 0 ]
