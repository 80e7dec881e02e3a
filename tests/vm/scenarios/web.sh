# web: the phone page on the appliance. The owner turns web: on in
# /etc/limber/config.yaml (readable by the limber group only, as the README
# says for a PIN) and reloads; a phone on the LAN opens the page, reads the
# status and presses start: that phone is the host (web.during), through
# QEMU's user network, which forwards a host port to this guest's 8080. The
# session it starts is heard on the loopback card; then stop.
. /usr/local/lib/vm-rig/lib.sh
out=$VM_SHARE

expect 300 "limber is up and idle" status_is idle

# The LAN: QEMU's user network, at the address its DHCP would give.
mkdir -p /etc/systemd/network
printf '[Match]\nType=ether\n\n[Network]\nAddress=10.0.2.15/24\nGateway=10.0.2.2\n' \
	>/etc/systemd/network/50-rig.network
systemctl start systemd-networkd
has_address() { grep -q ' 10\.0\.2\.15$' /proc/net/fib_trie; }
expect 300 "the network is up: 10.0.2.15 (systemd-networkd)" has_address

cat >>/etc/limber/config.yaml <<EOF
web:
  listen: "0.0.0.0:8080"
  pin: "4711"
EOF
chgrp limber /etc/limber/config.yaml
chmod 0640 /etc/limber/config.yaml
systemctl reload limber
expect 100 "reloaded (SIGHUP) with web: in the config" journal_has "SIGHUP: reloading the config"
expect 300 "idle" status_is idle
# 8080 (1F90) listening (0A) on any address, in the kernel's own table.
listening() { grep -q ' 00000000:1F90 00000000:0000 0A ' /proc/net/tcp; }
expect 100 "the daemon listens on 0.0.0.0:8080" listening
! journal_has "going on without the page" ||
	fail "$(journalctl -b -u limber --no-pager -o cat | grep "going on without the page")"
! journal_has "every user here can read" || fail "the PIN warning, with the config at 0640"
ok "no warning about the page or its PIN in the journal"
touch $out/web-on

# The phone presses start; the session plays on the card.
expect 600 "start from the page: status says playing tiny" status_has "^playing tiny"
echo "  status: $(status)"
expect 300 "the journal: the player opened the card" journal_has "limber: playing Tiny on "
vm-record 4 $out/web.wav 2>$out/record.err || fail "vm-record: $(cat $out/record.err)"
host_done() { [ -f $out/during.status ]; }
expect 600 "the phone's part is done" host_done
ctl stop >/dev/null
expect 150 "stop: idle" status_is idle
sed 's/^/  phone: /' $out/during.out
[ "$(cat $out/during.status)" = 0 ] || fail "the phone's part failed"
sox $out/web.wav -n stat 2>$out/web.stat || true
rms=$(awk '/^RMS +amplitude/ {print $3}' $out/web.stat)
awk -v r="${rms:-0}" 'BEGIN {exit !(r > 0.002)}' ||
	fail "the loopback capture is silent (RMS amplitude ${rms:-none})"
ok "the loopback capture has the session's sound (RMS amplitude $rms over 4 s)"
journalctl -b -u limber --no-pager -o cat | grep -E "web|SIGHUP|playing Tiny|session tiny" |
	sed 's/^/  journal: /'
journalctl -b -u limber --no-pager -o cat >$out/limber.journal
