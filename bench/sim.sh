#!/bin/sh
# The simulated device's speed (tests/sim/audio_sim.c): bench/data/thirty.yaml
# played by build/tests/limber-sim at several speeds. For each: wall time,
# the speed achieved (device seconds per wall second), how often and for how
# long the device held its clock because the player had not yet sent what the
# next callback needed (the simulation never outruns the player), and whether
# the capture is still the render sample for sample (drift, and everything else).
#
#   sh bench/sim.sh [SPEEDS]    (default "8 16 32 64 128")
set -eu
cd "$(dirname "$0")/.."
speeds=${1:-8 16 32 64 128}
b=./build
out=${TMPDIR:-/tmp}/limber-bench-sim
rm -rf "$out"
mkdir -p "$out"
for t in "$b/limber" "$b/tests/limber-sim" "$b/tests/wavdiff"; do
	[ -x "$t" ] || { echo "build first (cmake --build build): $t" >&2; exit 1; }
done
export LIMBER_DATA_DIR=$PWD
"$b/limber" render bench/data/thirty.yaml --rate 48000 -o "$out/ref.wav" 2>/dev/null
frames=$(soxi -s "$out/ref.wav")
echo "speed	wall s	achieved	holds	held s	capture = render"
for s in $speeds; do
	/usr/bin/time -f "%e" -o "$out/time" "$b/tests/limber-sim" run bench/data/thirty.yaml \
		--device "sim:speed=$s,capture=$out/cap.wav,faults=$out/faults" </dev/null >/dev/null 2>&1
	same=$("$b/tests/wavdiff" "$out/cap.wav" "$out/ref.wav" >/dev/null && echo yes || echo NO)
	awk -v s="$s" -v f="$frames" -v same="$same" 'NR == FNR { wall = $1; next }
		$1 == "waited" { n += $2; ms += $3 }
		END { printf "%d\t%.1f\t%.1fx\t%d\t%.1f\t%s\n", s, wall, f / 48000 / wall, n, ms / 1000, same }' \
		"$out/time" "$out/faults"
	rm -f "$out/cap.wav"
done
