#!/bin/sh
# A message on limber/<id>/cmd far bigger than any command, against a real
# broker (mosquitto on a free port of 127.0.0.1): the daemon's memory stays
# where it was (its VmHWM, the peak resident size the kernel keeps), because
# the broker drops it for us (the CONNECT's Maximum Packet Size, MQTT v5)
# before libmosquitto would read it whole; a message over the line limit but
# under that size is still refused on error; the daemon answers ctl status
# and the next MQTT command; after the broker's restart, the same. And a
# broker that speaks only MQTT v3.1.1 (a stand-in here, in Python): its
# refusal of v5 is in the journal, and the daemon goes on with v3.1.1. A v5 broker's lower keepalive (its CONNACK's
# Server Keep Alive) is kept to. No audio device: nothing is played.
#
#   mqtt_big.sh LIMBER OUT
set -u
limber=$1 out=$2
rm -rf "$out"
mkdir -p "$out/routines"
. "$(dirname "$0")/checks.sh"
. "$(dirname "$0")/broker.sh"
dpid="" others=""
cleanup() {
	[ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null
	for p in $others $broker; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap cleanup EXIT INT TERM
broker_up

cp tests/data/live.yaml tests/data/tiny.yaml "$out/routines/"
sock=$out/limber.sock
id=big
ctl() { "$limber" ctl --socket "$sock" "$@"; }
hwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$dpid/status"; }
start_daemon() { # CONFIG-LINE LOG
	log=$out/$2
	printf 'default_routine: tiny\nmqtt: %s\n' "$1" >"$out/config.yaml"
	"$limber" daemon --config "$out/config.yaml" --socket "$sock" --routines "$out/routines" \
		--state-dir "$out/state" 2>"$log" &
	dpid=$!
	within '[ -S "$sock" ]' 50 || { bad "the daemon did not start"; cat "$log"; exit 1; }
}

# 1. 32 MB on cmd, then a command: it is carried out, and the peak stays put.
start_daemon "{host: 127.0.0.1, port: $port, id: $id, keepalive: 30}" daemon-big.log
check 'within "[ \"\$(retained limber/$id/availability)\" = online ]" 50' "online"
mosquitto_sub -p "$port" -t "limber/$id/error" >"$out/errors.txt" 2>&1 &
others="$others $!"
sleep 0.3
check '[ "$(field selected)" = tiny ]' "tiny selected"
before=$(hwm)
head -c $((32 * 1024 * 1024)) /dev/zero | tr '\0' x >"$out/huge.txt"
pub -f "$out/huge.txt"
rm -f "$out/huge.txt"
# Delivered in order: once live is selected, the huge one has come or gone.
pub -m "select live"
check 'within "[ \"\$(field selected)\" = live ]" 100' "a command after 32 MB on cmd is carried out"
after=$(hwm)
echo "  VmHWM ${before} kB before, ${after} kB after"
# 8 MB: more than any allocation a command needs, a quarter of the payload.
check '[ -n "$before" ] && [ -n "$after" ] && [ $((after - before)) -lt 8192 ]' \
	"32 MB on cmd: the daemon's peak resident size grew by $((after - before)) kB (< 8192)"
check 'grep -q "Dropping too large outgoing PUBLISH for limber-$id" "$out/mosquitto.log"' \
	"the broker dropped it for us (the Maximum Packet Size we connected with)"
check '[ "$(ctl status)" = idle ] && kill -0 $dpid' "the daemon answers ctl status"

# 2. Over the line limit but not the packet limit: refused on error, as before.
head -c 4096 /dev/zero | tr '\0' x >"$out/long.txt"
pub -f "$out/long.txt"
check 'within "grep -q \"line too long\" \"$out/errors.txt\"" 50' \
	"4 KiB on cmd: refused on error: $(head -c 80 "$out/errors.txt")"
pub -m "select tiny"
check 'within "[ \"\$(field selected)\" = tiny ]" 100' "and the next command is carried out"

# 3. The broker restarted: the daemon's next connect carries the bound too.
kill "$broker"; wait "$broker" 2>/dev/null
broker_up
check 'within "[ \"\$(retained limber/$id/availability)\" = online ]" 100' "broker restarted: online again"
before=$(hwm)
head -c $((32 * 1024 * 1024)) /dev/zero | tr '\0' x | pub -s
pub -m "select live"
check 'within "[ \"\$(field selected)\" = live ]" 100' "32 MB on cmd again, then a command: carried out"
after=$(hwm)
check '[ -n "$before" ] && [ -n "$after" ] && [ $((after - before)) -lt 8192 ] &&
	[ "$(grep -c "Dropping too large outgoing PUBLISH for limber-$id" "$out/mosquitto.log")" = 2 ]' \
	"and dropped by the broker again (the peak grew by $((after - before)) kB)"
kill -TERM "$dpid"; wait "$dpid"; dpid=""

# 4. A broker of MQTT v3.1.1 alone (as mosquitto 1.5 was): it answers a v5 CONNECT with
#    "unacceptable protocol version" in a v3 CONNACK and closes; it prints what it is sent.
old=$(free_port)
python3 - "$old" >"$out/old.log" 2>&1 <<'PY' &
import socket, sys

def read(c, n):
    b = b""
    while len(b) < n:
        r = c.recv(n - len(b))
        if not r:
            raise EOFError
        b += r
    return b

def packet(c):
    head, mult, length = read(c, 1)[0], 1, 0
    while True:
        d = read(c, 1)[0]
        length += (d & 127) * mult
        mult *= 128
        if not d & 128:
            return head, read(c, length)

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", int(sys.argv[1])))
srv.listen(4)
while True:
    c, _ = srv.accept()
    try:
        while True:
            head, body = packet(c)
            kind = head >> 4
            if kind == 1:                            # CONNECT: "MQTT", then the level
                level = body[6]
                print("connect level", level, flush=True)
                c.sendall(bytes([0x20, 2, 0, 0 if level == 4 else 1]))
                if level != 4:
                    break
            elif kind == 8:                          # SUBSCRIBE: granted QoS 1
                c.sendall(bytes([0x90, 3]) + body[:2] + b"\x01")
            elif kind == 3:                          # PUBLISH
                n = body[0] << 8 | body[1]
                rest = body[2 + n:]
                if head & 6:                         # QoS 1: PUBACK
                    c.sendall(bytes([0x40, 2]) + rest[:2])
                    rest = rest[2:]
                print("publish", body[2:2 + n].decode(), rest.decode(errors="replace"), flush=True)
            elif kind == 12:                         # PINGREQ
                c.sendall(b"\xd0\x00")
            elif kind == 14:                         # DISCONNECT
                break
    except EOFError:
        pass
    c.close()
PY
others="$others $!"
within 'python3 -c "import socket; socket.create_connection((\"127.0.0.1\", $old))" 2>/dev/null' 50
: >"$out/old.log"
start_daemon "{host: 127.0.0.1, port: $old, id: $id, keepalive: 30}" daemon-old.log
check 'within "grep -q \"publish limber/$id/availability online\" \"$out/old.log\"" 100' \
	"a v3.1.1 broker: the daemon connects with v3.1.1 and is online"
check 'grep -q "^connect level 5" "$out/old.log" && grep -q "^connect level 4" "$out/old.log"' \
	"after its v5 CONNECT was refused: $(tr '\n' ' ' <"$out/old.log" | head -c 60)"
check 'grep -q "MQTT v5" "$log"' "and the journal says why: $(grep "MQTT v5" "$log" | head -1)"
check '[ "$(ctl status)" = idle ]' "the daemon answers ctl status"
kill -TERM "$dpid"; wait "$dpid"; dpid=""

# 5. A v5 broker that wants pings sooner than the config's keepalive (its max_keepalive 10,
#    our 60) says so in its CONNACK; with no command coming in, the daemon pings on its
#    time: the broker drops a client after 1.5 of its keepalives of silence (15 s).
kport=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_keepalive 10\n' \
	"$kport" >"$out/keepalive.conf"
mosquitto -c "$out/keepalive.conf" >"$out/keepalive.log" 2>&1 &
others="$others $!"
ksub() { mosquitto_sub -k 10 -p "$kport" -t "limber/$id/availability" -C 1 -W 2 2>/dev/null; }
within 'mosquitto_pub -k 10 -p $kport -t limber-test/ping -m x 2>/dev/null' 50
start_daemon "{host: 127.0.0.1, port: $kport, id: $id, keepalive: 60}" daemon-keepalive.log
check 'within "[ \"\$(ksub)\" = online ]" 50' "a broker of max_keepalive 10: online"
sleep 20
check '[ "$(ksub)" = online ] && ! grep -q "lost the broker" "$log" &&
	! grep -q "limber-$id.*timeout" "$out/keepalive.log"' \
	"20 s without a command: still online, never dropped for silence"
kill -TERM "$dpid"; wait "$dpid"; dpid=""

echo "mqtt_big: $pass passed, $fail failed"
[ "$fail" = 0 ]
