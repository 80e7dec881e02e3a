#!/bin/sh
# `limber daemon` on MQTT, against a real broker (mosquitto, started here on
# a free port of 127.0.0.1 with its own config) and a real session on a
# private JACK server: the Home Assistant discovery configs are JSON and
# their topics answer; select, start, toggle, next, previous and stop over
# MQTT change what `limber ctl status` and the state topic say; garbage on
# cmd is refused on error; the broker killed mid-session changes nothing
# the session plays (its chimes against its render) and the daemon is back
# online after it; SIGHUP's new routine reaches the select; kill -9 of the
# daemon shows offline through the will.
set -u
limber=$1 capture=$2 measure=$3 out=$4
rm -rf "$out"
mkdir -p "$out/routines"
. "$(dirname "$0")/checks.sh"
. "$(dirname "$0")/broker.sh"
. "$(dirname "$0")/jack.sh"

dpid="" subs=""
cleanup() {
	[ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null
	for p in $subs $broker; do kill "$p" 2>/dev/null; done
	jack_down
	wait 2>/dev/null
}
trap cleanup EXIT INT TERM
broker_up
jack_up

cp tests/data/live.yaml "$out/routines/live.yaml"
cp tests/data/tiny.yaml "$out/routines/tiny.yaml"
sock=$out/limber.sock
id=shelf
ctl() { "$limber" ctl --socket "$sock" "$@"; }

# 1. Without mqtt: no broker is spoken to: no TCP socket at all.
printf 'default_routine: live\n' >"$out/plain.yaml"
"$limber" daemon --config "$out/plain.yaml" --socket "$sock" --routines "$out/routines" \
	--state-dir "$out/state" 2>"$out/plain.log" &
dpid=$!
within '[ -S "$sock" ]' 50
tcp_socks() {
	for f in /proc/"$1"/fd/*; do
		ino=$(readlink "$f" | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
		[ -n "$ino" ] && awk -v i="$ino" '$10 == i' /proc/net/tcp /proc/net/tcp6
	done | wc -l
}
check '[ "$(tcp_socks $dpid)" = 0 ]' "no mqtt: key, no TCP socket"
kill "$dpid"; wait "$dpid"; dpid=""

# 2. A bad mqtt value is refused with file:line:col.
printf 'mqtt:\n  host: 127.0.0.1\n  port: 99999\n' >"$out/bad.yaml"
"$limber" daemon --config "$out/bad.yaml" --socket "$sock" 2>"$out/bad.err"
check '[ $? -ne 0 ] && grep -q "bad.yaml:3:9: port must be from 1 to 65535" "$out/bad.err"' \
	"a bad port is refused: $(cat "$out/bad.err")"

# 3. The daemon on MQTT.
printf 'default_routine: tiny\nmqtt: {host: 127.0.0.1, port: %s, id: %s, keepalive: 30}\n' \
	"$port" "$id" >"$out/config.yaml"
start_daemon() {
	"$limber" daemon --config "$out/config.yaml" --socket "$sock" --routines "$out/routines" \
		--state-dir "$out/state" 2>>"$out/daemon.log" &
	dpid=$!
	within '[ -S "$sock" ]' 50 || { bad "the daemon did not start"; cat "$out/daemon.log"; exit 1; }
}
start_daemon
mosquitto_sub -p "$port" -t "limber/$id/state" >"$out/states.txt" 2>&1 &
subs="$subs $!"
check 'within "[ \"\$(retained limber/$id/availability)\" = online ]" 50' "availability: online, retained"
check '[ "$(field state)" = idle ] && [ "$(field selected)" = tiny ]' "state: idle, tiny selected"

# Discovery: every config valid JSON, one device, and its topics there.
mosquitto_sub -p "$port" -v -t "homeassistant/+/limber_$id/+/config" -W 2 >"$out/discovery.txt" 2>/dev/null
check '[ "$(wc -l <"$out/discovery.txt")" = 9 ]' "nine discovery configs ($(wc -l <"$out/discovery.txt"))"
bad_json=0
while read -r topic payload; do
	printf '%s' "$payload" | python3 -m json.tool >/dev/null 2>&1 || { bad_json=1; echo "  not JSON: $topic"; }
done <"$out/discovery.txt"
check '[ $bad_json = 0 ]' "every discovery config is valid JSON (python3 -m json.tool)"
python3 - "$out/discovery.txt" "$id" >"$out/entities.txt" <<'PY'
import json, sys
path, dev = sys.argv[1], sys.argv[2]
devices = set()
for line in open(path):
    topic, payload = line.rstrip("\n").split(" ", 1)
    c = json.loads(payload)
    comp = topic.split("/")[1]
    devices.add(json.dumps(c["device"], sort_keys=True))
    assert c["availability_topic"] == "limber/%s/availability" % dev, topic
    assert {"identifiers", "name", "model", "sw_version"} <= set(c["device"]), topic
    for k in ("command_topic", "state_topic"):
        if k in c:
            print(k, c[k])
    if comp == "button":
        print("press", c["payload_press"])
        print("button", topic.split("/")[3], c["command_topic"], c["payload_press"])
    if comp == "select":
        print("options", " ".join(c["options"]))
        print("select", c["command_topic"], c["command_template"])
print("devices", len(devices))
PY
check '[ $? = 0 ] && grep -qx "devices 1" "$out/entities.txt"' "all entities on one device, with the availability topic"
check '! grep "^command_topic" "$out/entities.txt" | grep -vq " limber/$id/cmd$"' "every command topic is limber/$id/cmd"
check '! grep "^state_topic" "$out/entities.txt" | grep -vq " limber/$id/state$"' \
	"every state topic is limber/$id/state (retained, so it is there)"
check 'grep "^options " "$out/entities.txt" | tr " " "\n" | grep -qx live &&
	grep "^options " "$out/entities.txt" | tr " " "\n" | grep -qx tiny &&
	[ "$(grep "^options " "$out/entities.txt" | wc -w)" = $(($(LIMBER_ROUTINES=$out/routines "$limber" list --tsv 2>/dev/null | wc -l) + 1)) ]' \
	"the select's options are the routines ($(grep "^options " "$out/entities.txt" | wc -w) words)"
check '[ "$(grep ^press "$out/entities.txt" | tr "\n" " ")" = "press start press toggle press next press stop " ]' \
	"buttons: start, pause/resume (toggle), next, stop"

# 4. Commands over MQTT, seen by ctl status and on the state topic. The buttons are
#    pressed as Home Assistant would: their payload on their command topic, from discovery.
press() {
	set -- $(grep "^button $1 " "$out/entities.txt")
	mosquitto_pub -p "$port" -t "$3" -m "$4"
}
choose() {
	line=$(grep "^select " "$out/entities.txt")
	topic=$(echo "$line" | cut -d' ' -f2)
	template=$(echo "$line" | cut -d' ' -f3-)
	mosquitto_pub -p "$port" -t "$topic" -m "$(echo "$template" | sed "s/{{ value }}/$1/")"
}
choose live
check 'within "[ \"\$(field selected)\" = live ]" 30' "the select set to live (its command template): selected"
check '[ "$(ctl status)" = idle ]' "and nothing starts"
press start
# A first session says when to see a doctor and what the chimes mean before step 1 (about
# 40 s), and a loaded machine adds to it: a function, not a timing.
check 'within "ctl status | grep -q \"^playing live, step 1 of 3: One\"" 900' "start button: ctl status says playing live, step 1"
check 'within "[ \"\$(field state)\" = playing ] && [ \"\$(field step)\" = 1 ]" 30' "state topic: playing, step 1"
echo "  state: $(retained "limber/$id/state")"
# The player holds none of the daemon's sockets: a player holding the broker's
# socket kept the broker from seeing the daemon die (the will came late).
socks_of() { for f in /proc/"$1"/fd/*; do readlink "$f"; done 2>/dev/null | grep '^socket:' | sort -u; }
kid=$(pgrep -P "$dpid" | head -n1)
socks_of "$dpid" >"$out/daemon.socks"
socks_of "$kid" >"$out/kid.socks"
check '[ -n "$kid" ] && [ -s "$out/daemon.socks" ] && [ -z "$(comm -12 "$out/daemon.socks" "$out/kid.socks")" ]' \
	"the player shares no socket with the daemon (the broker's included)"
hold_seen() { grep -q '"hold_s":4,' "$out/states.txt"; }
check 'within hold_seen 150' "a state published at the hold's start chime"
echo "  $(grep '"hold_s":4,' "$out/states.txt" | head -1)"
check 'grep "\"hold_s\":4," "$out/states.txt" | head -1 | grep -q "\"remaining_s\":4,"' \
	"remaining_s is the hold's time left (4 of 4 s at its start chime)"
press pause
check 'within "ctl status | grep -q \"^paused live\"" 30' "pause button: ctl status says paused"
check 'within "[ \"\$(field state)\" = paused ]" 30' "state topic: paused"
r1=$(field session_left_s)
sleep 1.2
check '[ "$(field session_left_s)" = "$r1" ]' "paused: nothing republished, session_left_s stands ($r1)"
press pause
check 'within "[ \"\$(field state)\" = playing ]" 30' "toggle again: playing"
press next
check 'within "ctl status | grep -q \"step 2 of 3\"" 80' "next: ctl status says step 2"
check 'within "[ \"\$(field step)\" = 2 ] && [ \"\$(field step_name)\" = Two ]" 30' "state topic: step 2, Two"
pub -m "next"
pub -m "previous"
check 'within "[ \"\$(field step)\" = 2 ] && grep -q \"going to step 3\" \"$out/daemon.log\"" 80' \
	"next then previous: back on step 2"
steps=$(grep "going to step" "$out/daemon.log" | tail -2 | tr '\n' ' ')
check '[ "$steps" = "limber: going to step 3 limber: going to step 2 " ]' "and the log says where it went: $steps"

# 5. Garbage on cmd: refused on error, and the daemon goes on.
mosquitto_sub -p "$port" -t "limber/$id/error" >"$out/errors.txt" 2>&1 &
subs="$subs $!"
sleep 0.3
# Long, but under the packet size limber connects with: more never reaches it (mqtt_big.sh).
head -c 16384 /dev/urandom >"$out/big.bin"
printf 'pause\000now' >"$out/nul.bin"
printf '\377\376start\001' >"$out/binary.bin"
pub -f "$out/big.bin"
pub -f "$out/nul.bin"
pub -f "$out/binary.bin"
pub -m "dance"
pub -m "/etc/passwd"
pub -m "start ../../etc/passwd"
pub -m "start live/../../x"
pub -m "$(printf 'stop\nstop')"
pub -n
check 'within "[ \$(wc -l <\"$out/errors.txt\") -ge 9 ]" 30' "nine bad messages, nine errors ($(wc -l <"$out/errors.txt"))"
sed 's/^/  /' "$out/errors.txt"
check 'grep -q "line too long" "$out/errors.txt" && grep -q "control characters" "$out/errors.txt" &&
	grep -q "unknown request" "$out/errors.txt" && grep -q "start needs a routine NAME" "$out/errors.txt" &&
	grep -q "one request a message" "$out/errors.txt"' "each with its reason"
check 'ctl status | grep -q "^playing live"' "the session plays on"
check 'kill -0 $dpid' "and the daemon too"

# 6. Stop: stopping at once, on the socket and the topic, then idle.
press stop
check 'within "ctl status | grep -q \"^stopping live\"" 20' "stop: ctl status says stopping at once"
check 'within "[ \"\$(field state)\" = stopping ]" 20' "state topic: stopping"
check 'within "[ \"\$(ctl status)\" = idle ]" 100' "then idle"
check 'within "[ \"\$(field state)\" = idle ] && [ \"\$(field last_session)\" != None ]" 30' \
	"state topic: idle, with the last session: $(field last_session)"

# 7. The broker killed mid-session and started again: the session is unaffected.
"$limber" render tests/data/live.yaml --rate 48000 -o "$out/ref.wav" --timeline "$out/ref.tsv" 2>/dev/null
"$capture" "$out/session.wav" limber 150 >/dev/null &
cap=$!
sleep 0.3
pub -m "start live"
within "ctl status | grep -q '^playing live, step 1'" 100
sleep 3
kill -9 "$broker"; wait "$broker" 2>/dev/null
check 'ctl status | grep -q "^playing live"' "broker killed: the session plays on, the socket answers"
sleep 2
broker_up
check 'within "[ \"\$(retained limber/$id/availability)\" = online ]" 100' "broker back: online again within the back-off"
check '[ "$(field state)" = playing ]' "and the state republished: playing"
check '[ "$(mosquitto_sub -p $port -v -t "homeassistant/+/limber_$id/+/config" -W 2 2>/dev/null | wc -l)" = 9 ]' \
	"and the discovery configs republished"
check 'within "ctl status | grep -q \"asking for a pain rating\"" 900' "the session reaches its end"
sleep 0.5
kill -INT "$cap"; wait "$cap" 2>/dev/null
ctl stop >/dev/null
ALIGN_MS=3000 TOLERANCE=48 "$measure" "$out/session.wav" "$out/ref.tsv" sounds >"$out/session.measure" 2>&1
rc=$?
# As in live.sh: a busy machine's xruns make the session skip ahead to stay on the
# device's clock (the player says so); then its chimes move, broker or not.
xruns=$(sed -n '/starting live$/,$p' "$out/daemon.log" | grep -c "clock ran ahead")
if [ -n "${LIMBER_LIVE_UNGRADED:-}" ] || [ "$xruns" != 0 ]; then
	echo "mqtt: the chimes' timing is not graded (${LIMBER_LIVE_UNGRADED:-xruns: the session skipped ahead}): $(tail -1 "$out/session.measure")"
	check 'grep -q "passed" "$out/session.measure" && ! grep FAIL "$out/session.measure" | grep -vq -e "chime found" -e "hold heard"' \
		"every row of the render was heard in the session, nothing clipped (the times not graded)"
else
	check '[ $rc = 0 ]' "the session's chimes against its render, through the broker's death: $(tail -1 "$out/session.measure")"
fi
grep FAIL "$out/session.measure" | head -5 | sed 's/^/  /'

# 8. SIGHUP with a routine added: the select's options follow.
within '[ "$(ctl status)" = idle ]' 100
has_option() { retained "homeassistant/select/limber_$id/routine/config" | python3 -c "import json, sys; sys.exit('$1' not in json.load(sys.stdin)['options'])"; }
cp tests/data/tiny.yaml "$out/routines/added.yaml"
kill -HUP "$dpid"
check 'within "has_option added" 50' "SIGHUP: a routine added is in the select's options"
rm "$out/routines/added.yaml"
kill -HUP "$dpid"
check 'within "! has_option added && has_option live" 50' "and one removed is gone from them"

# 9. kill -9: the broker says offline for it (the will).
kill -9 "$dpid"; wait "$dpid" 2>/dev/null; dpid=""
check 'within "[ \"\$(retained limber/$id/availability)\" = offline ]" 50' "kill -9: offline, through the will"
rm -f "$sock"

# 10. A clean stop says offline too.
start_daemon
within "[ \"\$(retained limber/$id/availability)\" = online ]" 50
kill -TERM "$dpid"; wait "$dpid"
rc=$?
dpid=""
check '[ $rc = 0 ] && [ "$(retained limber/$id/availability)" = offline ]' "SIGTERM: exit 0, offline"

# 10b. A retained command is never run: it would start a session at every connect.
#      And commands that need no answer must not put off the keepalive ping: with
#      keepalive 5 the broker drops a client it has not heard from in 7.5 s.
pub -r -m "start tiny"
printf 'default_routine: tiny\nmqtt: {host: 127.0.0.1, port: %s, id: %s, keepalive: 5}\n' \
	"$port" "$id" >"$out/config.yaml"
: >"$out/daemon.log"
start_daemon
within "[ \"\$(retained limber/$id/availability)\" = online ]" 50
sleep 2
check '[ "$(ctl status)" = idle ] && grep -q "ignored a retained message on limber/$id/cmd" "$out/daemon.log"' \
	"a retained start on cmd is not run: $(grep retained "$out/daemon.log" | head -1)"
pub -r -n
cp "$out/mosquitto.log" "$out/mosquitto.log.before"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do pub -m status; sleep 1; done
check '! grep -q "lost the broker" "$out/daemon.log" &&
	! diff "$out/mosquitto.log.before" "$out/mosquitto.log" | grep -q "limber-$id.*timeout"' \
	"15 s of commands with keepalive 5: the daemon pinged and was never dropped"
kill -TERM "$dpid"; wait "$dpid"; dpid=""

# 11. TLS, as with the Mosquitto add-on on 8883: a broker with a certificate from a CA
#     made here; the daemon trusts that CA (tls: {ca_file}), and refuses another.
if command -v openssl >/dev/null; then
	t=$out/tls
	mkdir -p "$t"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/ca.key" -out "$t/ca.crt" -days 2 \
		-subj "/CN=limber test CA" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -keyout "$t/server.key" -out "$t/server.csr" \
		-subj "/CN=localhost" 2>/dev/null
	printf 'subjectAltName=DNS:localhost\n' >"$t/ext.cnf"
	openssl x509 -req -in "$t/server.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial \
		-out "$t/server.crt" -days 2 -extfile "$t/ext.cnf" 2>/dev/null
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/other.key" -out "$t/other.crt" -days 2 \
		-subj "/CN=another CA" 2>/dev/null
	chmod 0644 "$t/server.key"   # mosquitto drops root to read it
	tport=$(free_port)
	printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\ncafile %s\ncertfile %s\nkeyfile %s\n' \
		"$tport" "$t/ca.crt" "$t/server.crt" "$t/server.key" >"$t/mosquitto.conf"
	mosquitto -c "$t/mosquitto.conf" >"$t/mosquitto.log" 2>&1 &
	subs="$subs $!"
	tls_online() { mosquitto_sub -h localhost -p "$tport" --cafile "$t/ca.crt" -t "limber/$id/availability" -C 1 -W 2 2>/dev/null; }
	within 'mosquitto_pub -h localhost -p $tport --cafile "$t/ca.crt" -t x -m x 2>/dev/null' 50
	for ca in ca other; do
		printf 'mqtt: {host: localhost, port: %s, id: %s, tls: {ca_file: %s}}\n' "$tport" "$id" \
			"$t/$ca.crt" >"$out/config.yaml"
		: >"$out/daemon.log"
		start_daemon
		if [ $ca = ca ]; then
			check 'within "[ \"\$(tls_online)\" = online ]" 50' "TLS with the broker's CA: online"
		else
			check 'within "grep -q \"MQTT broker localhost:$tport: \" \"$out/daemon.log\"" 50 && [ "$(tls_online)" = offline ]' \
				"TLS with another CA: refused (still offline), and said in the journal"
			grep "MQTT broker" "$out/daemon.log" | head -1 | sed 's/^/  /'
		fi
		kill -TERM "$dpid"; wait "$dpid"; dpid=""
	done
else
	bad "openssl is not installed: the TLS part did not run"
fi

echo "mqtt: $pass passed, $fail failed"
[ "$fail" = 0 ]
