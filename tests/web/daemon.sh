#!/bin/sh
# web_daemon: the phone page on the real daemon (label: web). limber-sim's
# daemon (its sessions on the simulated device) with web: on 127.0.0.1 and a
# seeded history; in headless Chromium (browser.py --ctl), start, pause and
# stop clicked on the page show on the control socket's status, a screenshot
# of each page in OUTDIR, axe-core with 0 violations. Then, with curl, garbage
# on the socket, an oversized body, a wrong PIN and a cross-site POST are
# refused, none of them reaches the daemon, and it goes on answering on both;
# a new port in the config is listened on after a reload.
#   daemon.sh LIMBER-SIM LIMBER WEBHARNESS OUTDIR
set -u
sim=$1 limber=$2 harness=$3 out=$4
cd "$(dirname "$0")/../.."
. tests/integration/checks.sh
src=$(pwd)/tests/web
rm -rf "$out"
mkdir -p "$out/state"
dpid=""
cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
}
trap cleanup EXIT INT TERM

# axe-core: browser.sh's npm ci, shared with web_browser.
npm=$(dirname "$out")/npm
sh "$src/browser.sh" --npm-only "$npm" || exit 1

"$harness" --state-dir "$out/state" --seed-only || { bad "the history could not be seeded"; exit 1; }
sock=$out/limber.sock
ctl() { "$limber" ctl --socket "$sock" "$@"; }

# A free port: the first of a range that the daemon's page could listen on.
for port in $(seq 18400 18499); do
	cat >"$out/config.yaml" <<EOF
device: "sim:speed=1"
default_routine: tiny
morning_until: "00:00"
web: {listen: "127.0.0.1:$port", pin: "4711"}
EOF
	chmod 600 "$out/config.yaml"
	"$sim" daemon --config "$out/config.yaml" --socket "$sock" --state-dir "$out/state" \
		--routines tests/data 2>"$out/log" &
	dpid=$!
	within 'grep -q "ready; control socket" "$out/log" || ! kill -0 $dpid 2>/dev/null' 100
	grep -q "going on without the page" "$out/log" || break
	kill "$dpid"
	wait "$dpid" 2>/dev/null
	dpid=""
	grep -q "in use" "$out/log" || break
done
if [ -z "$dpid" ] || ! kill -0 "$dpid" 2>/dev/null || [ "$(ctl status)" != idle ]; then
	bad "the daemon did not start with its page"
	cat "$out/log"
	exit 1
fi
addr=127.0.0.1:$port
u=http://$addr
check 'grep -q "web: the page is on http://$addr/" "$out/log"' "the journal says where the page is"

# The page open and nobody looking: the daemon still sleeps in poll() (MHD asks for no
# timeout without a connection).
cs() { awk '/ctxt_switches/ {n += $2} END {print n}' "/proc/$dpid/status"; }
sleep 1
before=$(cs)
sleep 3
after=$(cs)
check '[ "$after" = "$before" ]' "idle with the page open: no wake-up in 3 s ($before -> $after)"

python3 "$src/browser.py" "$u" "$out/log" "$npm/node_modules/axe-core/axe.min.js" "$out" \
	--ctl "$limber" "$sock"
browser=$?
check '[ $browser -eq 0 ]' "the page on the real daemon in Chromium (screenshots in $out)"
ctl stop >/dev/null
within '[ "$(ctl status)" = idle ]' 100 || bad "the daemon idle after the browser ($(ctl status))"
# The settings saved on the page are read as a reload, once the session is over.
check 'within "grep -q \"reloading the config and routines\" \"\$out/log\"" 50' \
	"the page's settings reloaded the daemon after the session"

# The refusals, each a start that would show in the status if it got through.
code() {
	m=$1 p=$2
	shift 2
	curl -s -o "$out/body" -w '%{http_code}' -X "$m" "$@" "$u$p"
}
pin="Authorization: Bearer 4711"
printf 'GARBAGE\r\n\r\n' | curl -s -m 3 telnet://"$addr" >/dev/null 2>&1
head -c 4000 /dev/urandom | curl -s -m 3 telnet://"$addr" >/dev/null 2>&1
check '[ "$(code GET /api/status)" = 200 ] && grep -q "\"state\":\"idle\"" "$out/body"' \
	"the page still answers after garbage on the socket"
head -c 100000 /dev/zero | tr '\0' a >"$out/big"
check '[ "$(code POST /api/cmd -H "$pin" --data-binary @"$out/big")" = 413 ]' \
	"an oversized body: 413"
check '[ "$(code POST /api/cmd -H "Authorization: Bearer 0000" --data "start tiny")" = 401 ]' \
	"a wrong PIN: 401"
check '[ "$(code POST /api/cmd -H "$pin" -H "Origin: http://evil.example" --data "start tiny")" = 403 ]' \
	"a cross-site POST: 403"
check '[ "$(ctl status)" = idle ]' "none of them reached the daemon: its socket says idle"
check 'kill -0 "$dpid"' "the daemon is alive"

# A new port in the config, and a reload: the page moves there.
served() { [ "$(curl -s -m 3 -o /dev/null -w '%{http_code}' "http://$1/api/status")" = 200 ]; }
new=$((port + 1))
while ss -Htln "sport = :$new" | grep -q .; do new=$((new + 1)); done
sed -i "s/127.0.0.1:$port/127.0.0.1:$new/" "$out/config.yaml"
kill -HUP "$dpid"
check 'within "served 127.0.0.1:$new" 50' "after a reload, the page on the config's new port ($new)"
check '! served "$addr"' "and no longer on the old one ($port)"
addr=127.0.0.1:$new
u=http://$addr
check '[ "$(code POST /api/cmd -H "$pin" -H "Origin: $u" --data "start tiny")" = 200 ] &&
	grep -q "^ok starting tiny" "$out/body"' "a start from the page's own origin, with the PIN"
check 'within "ctl status | grep -q \"^playing tiny\"" 50' "and the socket says it plays"
ctl stop >/dev/null
kill "$dpid"
wait "$dpid"
rc=$?
dpid=""
check '[ $rc -eq 0 ] && grep -q "stopped" "$out/log"' "SIGTERM ends it cleanly"
check '! grep -q "Sanitizer\|runtime error:" "$out/log"' \
	"no sanitizer report from the daemon or its players (an asan build)"
echo "web_daemon: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
