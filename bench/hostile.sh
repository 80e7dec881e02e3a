#!/bin/sh
# Hostile and unlucky input: what the worst files and messages cost.
#
#   sh bench/hostile.sh [LIMBER]      (default ./build/limber)
#
#   1. `limber check` of the largest file that is read, 64 KiB of '[' (libfyaml
#      holds an open flow collection's tokens until it closes), and of a 1 MiB
#      one (refused before parsing): peak resident memory of each.
#   2. An include fan-out: four levels of 200 `{include: next, only: [x]}`
#      steps, five files of 40 KB in all: wall time and the error.
#   3. The daemon with MQTT after one 100 MB message on its cmd topic (a private
#      mosquitto on a free port of 127.0.0.1): its peak and current resident
#      memory, from /proc.
set -eu
cd "$(dirname "$0")/.."
limber=${1:-./build/limber}
[ -x "$limber" ] || { echo "build first (cmake --build build)" >&2; exit 1; }
out=${TMPDIR:-/tmp}/limber-bench-hostile
rm -rf "$out"
mkdir -p "$out"
export LIMBER_DATA_DIR="$PWD"

peak() { # peak resident KB of a command (its status ignored)
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n1
}
head -c 65536 /dev/zero | tr '\0' '[' >"$out/brackets-64k.yaml"
head -c 1048576 /dev/zero | tr '\0' '[' >"$out/brackets-1m.yaml"
printf 'name: x\narea: neck\nlevel: beginner\nsteps:\n  - {name: x, hold: 5s}\n' >"$out/small.yaml"
echo "check, a small routine: peak $(peak "$limber" check "$out/small.yaml") KB"
echo "check, 64 KiB of '[': peak $(peak "$limber" check "$out/brackets-64k.yaml") KB"
echo "check, 1 MiB of '[' (refused unread): peak $(peak "$limber" check "$out/brackets-1m.yaml") KB"

mkdir -p "$out/fan"
for i in 0 1 2 3; do
	{
		printf 'name: L%s\narea: neck\nlevel: beginner\nsteps:\n' "$i"
		k=0
		while [ $k -lt 200 ]; do echo "  - {include: l$((i + 1)), only: [x]}"; k=$((k + 1)); done
	} >"$out/fan/l$i.yaml"
done
printf 'name: L4\narea: neck\nlevel: beginner\nsteps:\n  - {name: x, hold: 5s}\n' >"$out/fan/l4.yaml"
t0=$(date +%s%N)
LIMBER_ROUTINES=$out/fan "$limber" check "$out/fan/l0.yaml" >"$out/fan.out" 2>&1 || true
t1=$(date +%s%N)
echo "include fan-out (5 files, $(cat "$out"/fan/*.yaml | wc -c) bytes): $(((t1 - t0) / 1000000)) ms:" \
	"$(head -c 100 "$out/fan.out")..."

command -v mosquitto >/dev/null || PATH=$PATH:/usr/sbin
if ! command -v mosquitto >/dev/null; then
	echo "no mosquitto: the MQTT part is not measured (sh scripts/deps --test)"
	exit 0
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" >"$out/mosquitto.conf"
mosquitto -c "$out/mosquitto.conf" >"$out/mosquitto.log" 2>&1 &
broker=$!
mkdir -p "$out/routines"
cp tests/data/tiny.yaml "$out/routines/"
printf 'default_routine: tiny\nmqtt: {host: 127.0.0.1, port: %s, id: hostile}\n' "$port" >"$out/config.yaml"
sleep 0.5
"$limber" daemon --config "$out/config.yaml" --socket "$out/sock" --routines "$out/routines" \
	--state-dir "$out/state" 2>"$out/daemon.log" &
dpid=$!
trap 'kill $dpid $broker 2>/dev/null || true' EXIT
n=0
until grep -q "MQTT connected" "$out/daemon.log" || [ $n -ge 50 ]; do sleep 0.1; n=$((n + 1)); done
mem() { awk '/^VmHWM|^VmRSS/ { printf "%s %s KB  ", $1, $2 }' /proc/$dpid/status; }
echo "daemon with MQTT, before: $(mem)"
head -c 100000000 /dev/zero | tr '\0' 'a' >"$out/big"
mosquitto_pub -p "$port" -t limber/hostile/cmd -f "$out/big"
sleep 3
echo "daemon after a 100 MB command: $(mem)($(tail -n1 "$out/daemon.log"))"
rm -f "$out/big"
