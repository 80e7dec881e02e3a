# 4. the sound card lost mid-session: snd-aloop's platform device unbound
# from its driver (a module in use cannot be removed), then bound again.
# limber says so in the journal, waits, and goes on where it was on the
# card that comes back.
. /usr/local/lib/vm-rig/lib.sh
drv=/sys/bus/platform/drivers/snd_aloop
dev=$(basename "$(ls -d $drv/snd_aloop.* | head -n1)")
expect 300 "limber is up and idle" status_is idle
ctl start live >/dev/null
expect 600 "live plays" status_has "^playing live, step 1 of 3"
sleep 2
before=$(status)
echo "  before: $before"
# The unbind waits for the card's files to close: limber must let go.
timeout 30 sh -c "echo $dev >$drv/unbind" || fail "the unbind did not finish: limber kept the card open?"
ok "card unbound ($dev); /proc/asound/cards: $(grep -c . /proc/asound/cards) lines"
expect 100 "limber says the device stopped" journal_has "the audio device stopped; waiting for it to come back"
sleep 3
status_has "^playing live" || status_has "^paused live" || fail "the session ended without its card"
ok "it waits, the session still there: $(status)"
echo $dev >$drv/bind
expect 300 "card back: limber says so" journal_has "audio is back on"
journalctl -b -u limber --no-pager -o cat | grep -E "audio|stopped" | sed 's/^/  journal: /'
step_of() { echo "$1" | sed -n 's/.*step \([0-9]*\) of.*/\1/p'; }
sleep 2
after=$(status)
echo "  after: $after"
[ "$(step_of "$after")" -ge "$(step_of "$before")" ] || fail "it went back: $before, then $after"
status_has "^playing live" || fail "not playing after the card came back: $after"
ok "it goes on from where it was"
expect 900 "and plays to its end" status_has "asking for a pain rating"
ctl stop >/dev/null
expect 100 "stop: idle" status_is idle
