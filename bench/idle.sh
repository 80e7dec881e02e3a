#!/bin/sh
# The idle daemon: wake-ups (context switches) over SECONDS, and its memory.
# It should block in poll() and never wake while nothing happens; with MQTT,
# only for the keepalive (a ping and its answer every keepalive + 1 s).
#
#   sh bench/idle.sh [SECONDS] [CONFIG | --mqtt [KEEPALIVE]]    (default 60 s, no config)
#
# --mqtt starts a private mosquitto on a free port of 127.0.0.1 and gives
# the daemon a config with mqtt: pointing at it (keepalive default 60).
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
config=${2:-}
out=${TMPDIR:-/tmp}/limber-bench-idle
rm -rf "$out"
mkdir -p "$out"
[ -x ./build/limber ] || { echo "build first (cmake --build build)" >&2; exit 1; }
broker=""
if [ "$config" = --mqtt ]; then
	PATH=$PATH:/usr/sbin
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" >"$out/mosquitto.conf"
	mosquitto -c "$out/mosquitto.conf" >"$out/mosquitto.log" 2>&1 &
	broker=$!
	printf 'mqtt: {host: 127.0.0.1, port: %s, id: bench, keepalive: %s}\n' "$port" "${3:-60}" \
		>"$out/config.yaml"
	config=$out/config.yaml
	sleep 0.5
fi
LIMBER_DATA_DIR=$PWD ./build/limber daemon --socket "$out/sock" --state-dir "$out/state" \
	${config:+--config "$config"} 2>"$out/daemon.log" &
pid=$!
trap 'kill $pid $broker 2>/dev/null; wait 2>/dev/null' EXIT
until [ -S "$out/sock" ]; do sleep 0.1; done
sleep 2
cs() { awk '/ctxt_switches/ {n += $2} END {print n}' "/proc/$pid/status"; }
before=$(cs)
sleep "$secs"
after=$(cs)
rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
echo "idle daemon${config:+ ($config)}: $((after - before)) wake-ups in $secs s; $((rss / 1024)) MB resident"
grep -q "MQTT connected" "$out/daemon.log" && echo "  (connected to the broker: $(grep -c "MQTT connected" "$out/daemon.log") time(s))"
exit 0
