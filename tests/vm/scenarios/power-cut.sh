# 5. power cut mid-session: the power goes in step 2 (vm-power-cut); the
# machine boots again and power-cut.after checks what is left.
. /usr/local/lib/vm-rig/lib.sh
expect 300 "limber is up and idle" status_is idle
daemon=$(systemctl show -p MainPID --value limber)
no_child() { [ -z "$(pgrep -P "$daemon")" ]; }
ctl select live >/dev/null   # the rig's short routine: the next press offers it
vm-press 150
expect 100 "the menu offers live" status_is "idle, offering live"
expect 300 "menu spoken" no_child
vm-press 150
expect 600 "live starts" status_has "^playing live, step 1 of 3"
vm-press 1000
expect 100 "a long press: step 2" status_has "^playing live, step 2 of 3: Two"
sleep 2
echo "  status at the cut: $(status)"
echo "  history before the cut:"
limber history --tsv --state-dir /var/lib/limber 2>&1 | sed 's/^/    /'
vm-power-cut
