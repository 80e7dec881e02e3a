# 3. clicker: a presenter remote (uinput, "USB Presenter") plugged in after
# boot; page down is the next step; pulled out mid-session and plugged back
# in, it is found again by name and its keys work, with no restart.
. /usr/local/lib/vm-rig/lib.sh
expect 300 "limber is up and idle" status_is idle
daemon=$(systemctl show -p MainPID --value limber)
vm-plug-clicker
expect 100 "plugged in: the daemon opens it by name" journal_has "USB Presenter"
ctl start live >/dev/null
expect 600 "live plays" status_has "^playing live, step 1 of 3"
vm-key KEY_PAGEDOWN
expect 100 "page down: step 2" status_has "^playing live, step 2 of 3: Two"
vm-unplug-clicker
expect 50 "pulled out: the daemon says so" journal_has "USB Presenter) went away"
sleep 1
status_has "^playing live, step 2 of 3" || fail "the session did not go on without the clicker"
ok "the session goes on without it"
vm-plug-clicker
sleep 1
vm-key KEY_PAGEDOWN
expect 100 "plugged in again: page down works, step 3" status_has "^playing live, step 3 of 3: Three"
[ "$(systemctl show -p MainPID --value limber)" = "$daemon" ] || fail "the daemon restarted"
ok "the same daemon (pid $daemon), no restart"
journalctl -b -u limber --no-pager -o cat | grep "input" | sed 's/^/  journal: /'
ctl stop >/dev/null
expect 100 "stop: idle" status_is idle
vm-unplug-clicker
