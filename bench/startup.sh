#!/bin/sh
# Start to first sound: from the exec of `limber run` to the first audible
# sample it puts on a paced sink (JACK's dummy driver, captured with the
# capture's (monotonic ns, frame) pairs). Median and range over RUNS runs.
#
#   sh bench/startup.sh [RUNS] [ROUTINE]    (default 7, lower-back/beginner)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-7}
routine=${2:-lower-back/beginner}
b=${LIMBER_BUILD:-./build}   # another build dir: LIMBER_BUILD=build-trixie-arm64
out=${TMPDIR:-/tmp}/limber-bench-startup
rm -rf "$out"
mkdir -p "$out"
for t in "$b/limber" "$b/tests/jack_capture" "$b/tests/stampexec" "$b/tests/firstsound"; do
	[ -x "$t" ] || { echo "build first (cmake --build build): $t" >&2; exit 1; }
done
export JACK_DEFAULT_SERVER="limber-startup-$$" JACK_NO_AUDIO_RESERVATION=1
export LIMBER_DATA_DIR=$PWD XDG_STATE_HOME=$out/state
jackd -R -P 70 -n "$JACK_DEFAULT_SERVER" -d dummy -r 48000 -p 256 >"$out/jackd.log" 2>&1 &
jack=$!
trap 'kill $jack 2>/dev/null; wait 2>/dev/null' EXIT
until jack_lsp >/dev/null 2>&1; do sleep 0.1; done

i=0
: >"$out/ms.txt"
while [ "$i" -lt "$runs" ]; do
	"$b/tests/jack_capture" "$out/cap$i.wav" limber 30 >"$out/sync$i.txt" &
	cap=$!
	until grep -q ready "$out/sync$i.txt" 2>/dev/null; do sleep 0.05; done
	"$b/tests/stampexec" "$out/start$i.ns" "$b/limber" run "$routine" --input /dev/null --no-red-flags \
		>/dev/null 2>&1 &
	lim=$!
	sleep 2
	kill -INT "$lim" 2>/dev/null || true
	wait "$lim" 2>/dev/null || true
	kill -INT "$cap"
	wait "$cap" 2>/dev/null || true
	frame=$("$b/tests/firstsound" "$out/cap$i.wav" || true)
	awk -v f="$frame" -v t0="$(cat "$out/start$i.ns")" '
		$1 == "sync" { ns[++n] = $2; fr[n] = $3 }
		END { if (f < 0 || !n) exit 1
		      k = 1; while (k < n && fr[k + 1] <= f) k++
		      printf "%.1f\n", (ns[k] + (f - fr[k]) * 1e9 / 48000 - t0) / 1e6 }' \
		"$out/sync$i.txt" >>"$out/ms.txt" || echo "run $i: no sound captured" >&2
	i=$((i + 1))
done
sort -n "$out/ms.txt" | awk '{ v[NR] = $1 } END {
	if (!NR) { print "start to first sound: nothing measured"; exit 1 }
	printf "start to first sound: median %.0f ms, range %.0f-%.0f ms over %d runs (JACK period 5.3 ms)\n",
	       v[int((NR + 1) / 2)], v[1], v[NR], NR }'
