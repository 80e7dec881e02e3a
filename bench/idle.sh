#!/bin/sh
# The idle daemon: wake-ups (context switches) over SECONDS, and its memory.
# It should block in poll() and never wake while nothing happens.
#
#   sh bench/idle.sh [SECONDS]    (default 60)
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
out=${TMPDIR:-/tmp}/limber-bench-idle
rm -rf "$out"
mkdir -p "$out"
[ -x ./build/limber ] || { echo "build first (cmake --build build)" >&2; exit 1; }
LIMBER_DATA_DIR=$PWD ./build/limber daemon --socket "$out/sock" --state-dir "$out/state" \
	2>"$out/daemon.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait 2>/dev/null' EXIT
until [ -S "$out/sock" ]; do sleep 0.1; done
sleep 2
cs() { awk '/ctxt_switches/ {n += $2} END {print n}' "/proc/$pid/status"; }
before=$(cs)
sleep "$secs"
after=$(cs)
rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
echo "idle daemon: $((after - before)) wake-ups in $secs s; $((rss / 1024)) MB resident"
