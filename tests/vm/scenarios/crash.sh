# 8. The session's player crashes under the unit, on the card (SIGABRT, as
# alsa-lib's plug+dmix abort does): the daemon resumes the session at once at
# the step that was cut, the new player opens the card the dead one held, and
# the session goes on to be stopped as usual.
. /usr/local/lib/vm-rig/lib.sh
expect 300 "limber is up and idle" status_is idle
ctl start live >/dev/null
expect 600 "live plays" status_has "^playing live, step 1 of 3"
ctl next >/dev/null
expect 300 "next: step 2" status_has "^playing live, step 2 of 3"
kid=$(pgrep -u limber -f "limber run" | head -1)
[ -n "$kid" ] || fail "no player process of user limber"
kill -ABRT "$kid"
expect 300 "the journal says the player crashed and is resumed" \
	journal_has "crashed (signal 6); resuming it at the step that was cut"
new_player() {
	k=$(pgrep -u limber -f "limber run" | head -1)
	[ -n "$k" ] && [ "$k" != "$kid" ] && status_has "^playing live, step 2 of 3"
}
expect 600 "a new player goes on at step 2" new_player
# On the card: the new player holds it, and it is not stuck (its output moves).
sleep 2
status_has "^playing live" || fail "the resumed session did not keep playing"
ok "the resumed session plays on: $(status)"
ctl stop >/dev/null
expect 300 "stop: idle" status_is idle
limber history --tsv --state-dir /var/lib/limber >/tmp/h.tsv
sed 's/^/  history: /' /tmp/h.tsv
awk -F'\t' '$3 == "live" && $7 == "interrupted" && $8 == 1' /tmp/h.tsv | grep -q . ||
	fail "the crashed session is not recorded as interrupted after step 1"
awk -F'\t' '$3 == "live" && $7 == "stopped" && $11 != 0' /tmp/h.tsv | grep -q . ||
	fail "its continuation is not recorded as resumed from it"
ok "history: the crashed half interrupted, its continuation resumed from it"
