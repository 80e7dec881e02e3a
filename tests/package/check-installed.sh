#!/bin/sh
# check-installed.sh DIR: inside a fresh Debian root, install DIR's
# limber_*.deb with apt and check what a person installing it gets: limber
# runs from the installed files alone, its man pages, the conffile, the user
# and groups, the units (enabled or not as they should be, and valid), then
# `apt remove` keeps the history and `apt purge` removes it and /etc/limber.
set -u
dir=$1
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # what command...: run it, quietly; its status decides
	what=$1; shift
	if "$@" >/tmp/check.out 2>&1; then ok; else bad "$what"; sed 's/^/    /' /tmp/check.out | tail -n 20; fi
}
export DEBIAN_FRONTEND=noninteractive

echo "check-installed: apt install $(cd "$dir" && ls limber_*.deb)"
apt-get update -q >/dev/null || { echo "FAIL: apt-get update"; exit 1; }
if ! apt-get install -y -q --no-install-recommends "$dir"/limber_*_"$(dpkg --print-architecture)".deb >/tmp/apt.log 2>&1; then
	tail -n 30 /tmp/apt.log
	echo "FAIL: apt install"
	exit 1
fi

# limber from the installed files alone: no source tree, no LIMBER_DATA_DIR.
cd /
unset LIMBER_DATA_DIR
check "limber --version" limber --version
sed 's/^/    /' /tmp/check.out
grep -q "^limber 0" /tmp/check.out && ok || bad "--version: $(head -n1 /tmp/check.out)"
check "limber list" limber list
grep -q "lower-back/beginner" /tmp/check.out && ok || bad "limber list lacks lower-back/beginner"
check "limber render" limber render lower-back/beginner -o /tmp/x.wav
[ "$(head -c 4 /tmp/x.wav 2>/dev/null)" = RIFF ] && [ "$(wc -c </tmp/x.wav)" -gt 1000000 ] && ok ||
	bad "render wrote no WAV of a whole session"
check "limber check" limber check daily/evening

for page in man1/limber.1 man5/limber.yaml.5; do
	zcat "/usr/share/man/$page.gz" 2>/dev/null | grep -q '^\.TH LIMBER' && ok || bad "man page $page"
done
[ -e /usr/share/limber/routines/lower-back/beginner.yaml ] && ok || bad "routines not in /usr/share/limber"
[ -e /usr/share/limber/voices/calm.yaml ] && [ -e /usr/share/limber/sounds/hold-start.wav ] && ok ||
	bad "voices or sounds not in /usr/share/limber"

dpkg-query -W -f='${Conffiles}\n' limber | grep -q '^ /etc/limber/config.yaml ' && ok ||
	bad "/etc/limber/config.yaml is not a conffile"
grep -q '^# ' /etc/limber/config.yaml && ok || bad "the conffile has no comments"

check "user limber" getent passwd limber
check "group gpio" getent group gpio
groups=$(id -nG limber)
for g in audio input gpio; do
	case " $groups " in *" $g "*) ok ;; *) bad "limber is not in group $g ($groups)" ;; esac
done
[ -e /usr/lib/udev/rules.d/60-limber-gpio.rules ] && ok || bad "the udev rule is missing"

# Enabled as Debian's daemons are; the user unit and the timer only installed.
[ -L /etc/systemd/system/multi-user.target.wants/limber.service ] && ok || bad "limber.service not enabled"
for t in morning midday evening; do
	[ ! -e /etc/systemd/system/timers.target.wants/limber-$t.timer ] && ok || bad "the $t timer is enabled"
done
[ ! -e /etc/systemd/user/default.target.wants/limber.service ] && ok || bad "the user unit is enabled"
# verify runs `man` for each Documentation= page: install man-db, as a real system has it.
check "apt install man-db" apt-get install -y -q --no-install-recommends man-db
check "man limber" man -w limber
check "man limber.yaml" man -w 5 limber.yaml
sys=/usr/lib/systemd/system
check "systemd-analyze verify (system units)" systemd-analyze verify \
	$sys/limber.service $sys/limber-morning.timer $sys/limber-morning.service \
	$sys/limber-midday.timer $sys/limber-midday.service \
	$sys/limber-evening.timer $sys/limber-evening.service
mkdir -p /run/user/0
check "systemd-analyze verify (user unit)" env XDG_RUNTIME_DIR=/run/user/0 \
	systemd-analyze --user verify /usr/lib/systemd/user/limber.service

# The daemon as the unit starts it (no systemd here): user limber, the
# conffile, the state directory StateDirectory= would make. It must come up
# idle on the installed routines, answer `limber ctl`, and end 0 on SIGTERM.
install -d -o limber -g limber -m 0750 /var/lib/limber /run/limber
setpriv --reuid=limber --regid=limber --init-groups limber daemon \
	--config /etc/limber/config.yaml --state-dir /var/lib/limber >/tmp/daemon.log 2>&1 &
daemon=$!
for _ in $(seq 300); do
	[ -S /run/limber/limber.sock ] && break
	kill -0 "$daemon" 2>/dev/null || break
	sleep 0.1
done
check "limber ctl status" setpriv --reuid=limber --regid=limber --init-groups limber ctl status
grep -q '^idle' /tmp/check.out && ok || bad "the daemon is not idle: $(cat /tmp/check.out)"
kill -TERM "$daemon" 2>/dev/null
wait "$daemon" && ok || { bad "the daemon did not end 0 on SIGTERM"; sed 's/^/    /' /tmp/daemon.log; }
[ -s /var/lib/limber/history.db ] && ok || bad "no history.db in /var/lib/limber"

check "apt remove" apt-get remove -y -q limber
[ ! -e /usr/bin/limber ] && ok || bad "remove left /usr/bin/limber"
[ -s /var/lib/limber/history.db ] && ok || bad "remove lost the history"
[ -e /etc/limber/config.yaml ] && ok || bad "remove lost the conffile"
check "apt purge" apt-get purge -y -q limber
[ ! -e /var/lib/limber ] && ok || bad "purge left /var/lib/limber"
[ ! -e /etc/limber ] && ok || bad "purge left /etc/limber"
[ ! -e /etc/systemd/system/multi-user.target.wants/limber.service ] && ok || bad "purge left the unit enabled"

echo "check-installed: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
