#!/bin/sh
# Instruction counts, the stable figure on a shared machine: a render of a
# routine under callgrind (limber's whole run: start, eSpeak NG, mixing,
# writing), and eSpeak NG's CLI on the same text for the floor.
#
#   sh bench/callgrind.sh [ROUTINE]    (default tests/data/short.yaml)
set -eu
cd "$(dirname "$0")/.."
routine=${1:-tests/data/short.yaml}
out=${TMPDIR:-/tmp}/limber-bench-callgrind
rm -rf "$out"
mkdir -p "$out"
export LIMBER_DATA_DIR=$PWD
ir() { awk '/^summary:|^totals:/ {print $2; exit}' "$1"; }
valgrind --tool=callgrind --callgrind-out-file="$out/limber.out" ./build/limber render "$routine" \
	-o "$out/s.wav" --timeline "$out/s.tsv" >/dev/null 2>&1
awk -F'\t' 'NR > 1 && $2 == "speech" {print $5}' "$out/s.tsv" >"$out/text.txt"
valgrind --tool=callgrind --callgrind-out-file="$out/espeak.out" espeak-ng -v en-us+f2 -s 135 \
	-f "$out/text.txt" -w "$out/e.wav" >/dev/null 2>&1
l=$(ir "$out/limber.out")
e=$(ir "$out/espeak.out")
awk -v l="$l" -v e="$e" -v r="$routine" 'BEGIN {
	printf "callgrind, render of %s: limber %.1f M instructions; espeak-ng on its text %.1f M; ratio %.2f\n",
	       r, l / 1e6, e / 1e6, l / e }'
