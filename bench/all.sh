#!/bin/sh
# Every benchmark, one after another, with the results gathered in
# bench/results.txt (and on stdout). Run it on a quiet machine: the live
# session alone takes 32 minutes of real time.
#
#   sh bench/all.sh            everything
#   sh bench/all.sh --quick    a 3-minute live session instead of 30
set -u
cd "$(dirname "$0")/.."
res=bench/results.txt
live_routine=bench/data/thirty.yaml
presses=10
if [ "${1:-}" = "--quick" ]; then
	live_routine=tests/data/live.yaml
	presses=3
fi
[ -x build/limber ] || { cmake -S . -B build >/dev/null && cmake --build build -j"$(nproc)"; }
{
	echo "limber benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m)"
	echo
	echo "== render speed (bench/render.sh)"
	sh bench/render.sh
	echo
	echo "== instruction counts (bench/callgrind.sh)"
	sh bench/callgrind.sh lower-back/intermediate
	echo
	echo "== the shell-script way (bench/shell-way.sh)"
	sh bench/shell-way.sh
	echo
	echo "== start to first sound (bench/startup.sh)"
	sh bench/startup.sh
	echo
	echo "== idle daemon (bench/idle.sh)"
	sh bench/idle.sh 60
	echo
	echo "== live session: onsets, drift, key latency, CPU, memory (bench/live.sh)"
	sh bench/live.sh "$live_routine" "$presses"
} 2>&1 | tee "$res"
echo "results in $res"
