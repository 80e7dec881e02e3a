# 2. button: the GPIO button, end to end. A press wakes the spoken menu, a
# second starts the routine it offers; the loopback recording has the menu's
# speech, then the routine's speech and chimes (graded against `limber
# render`'s timeline on the host: button.host). In a second session a long
# press goes to the next step and a double press is one gesture (the step
# stays, playing); in the menu, a double press says the offer again.
. /usr/local/lib/vm-rig/lib.sh
out=$VM_SHARE
mark() { echo "$1 $(cut -d' ' -f1 /proc/uptime)" >>$out/marks; }
daemon=$(systemctl show -p MainPID --value limber)
no_child() { [ -z "$(pgrep -P "$daemon")" ]; }
has_child() { [ -n "$(pgrep -P "$daemon")" ]; }

expect 300 "limber is up and idle" status_is idle
# The reference: the same routine rendered by the same binary, at the capture's rate.
limber render /etc/limber/routines/live.yaml --rate 48000 -o /tmp/ref.wav --timeline $out/ref.tsv \
	2>/dev/null || fail "limber render"

# Part 1: press, hear the menu ask where it hurts; choose the rig's routine; press, hear it whole.
mark rec
vm-record 75 $out/button.wav 2>$out/record.err &
rec=$!
sleep 1
mark press1
vm-press 150
expect 100 "a short press: the menu asks where it hurts" status_is "idle, asking where it hurts: lower back"
expect 100 "the menu speaks (limber say, a child of the daemon)" has_child
expect 300 "and finishes speaking" no_child
# The rig's short routine, chosen as Home Assistant's select would: the offer becomes it.
ctl select live >/dev/null
expect 100 "select live: the menu offers it" status_is "idle, offering live"
mark press2
vm-press 150
expect 600 "a second press starts it" status_has "^playing live, step 1 of 3: One"
echo "  status: $(status)"
expect 900 "it plays to its end and asks for a pain rating" status_has "asking for a pain rating"
mark asked
ctl stop >/dev/null
expect 100 "stop: idle" status_is idle
wait $rec || fail "vm-record: $(cat $out/record.err)"
journalctl -b -u limber --no-pager -o cat | grep -E "playing|xrun|clock ran" | sed 's/^/  journal: /'
journalctl -b -u limber --no-pager -o cat >$out/limber.journal

# Part 2: long press: next step; double press: the step's words again.
ctl select live >/dev/null   # asleep: the next press offers it
vm-press 150
expect 100 "menu again" status_is "idle, offering live"
expect 300 "menu spoken" no_child
vm-press 150
expect 600 "started again" status_has "^playing live, step 1 of 3"
sleep 1
vm-press 1000
expect 100 "a long press goes to step 2" status_has "^playing live, step 2 of 3: Two"
vm-press 1000
expect 100 "another: step 3" status_has "^playing live, step 3 of 3: Three"
sleep 1
# A short press would pause, a long one move on: the step stays, playing.
vm-press 60 100 60
sleep 1
status_has "^playing live, step 3 of 3" || fail "a double press was not a double press: $(status)"
ok "a double press: the step stays, not paused (status: $(status))"
ctl stop >/dev/null
expect 100 "stop: idle" status_is idle

# Part 3: in the menu, a double press says the offer again and keeps it.
ctl select live >/dev/null
vm-press 150
expect 100 "the menu" status_is "idle, offering live"
expect 300 "menu spoken" no_child
vm-press 60 100 60
expect 50 "a double press in the menu: it speaks again" has_child
status_is "idle, offering live" || fail "a double press in the menu changed the offer: $(status)"
ok "and the offer stays: $(status)"
