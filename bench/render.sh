#!/bin/sh
# Render speed against eSpeak NG's own CLI, the floor: synthesis of the same
# text with the same voice. Reports medians over RUNS runs (the machines are
# shared and noisy), the ratio, the real-time factor and peak memory.
#
#   sh bench/render.sh [ROUTINE] [RUNS] [RATE]
#   (default lower-back/intermediate, 5 runs, eSpeak NG's own rate)
set -eu
cd "$(dirname "$0")/.."
routine=${1:-lower-back/intermediate}
runs=${2:-5}
rate_opt=""
[ -n "${3:-}" ] && rate_opt="--rate $3"
limber=${LIMBER:-./build/limber}
out=${TMPDIR:-/tmp}/limber-bench
mkdir -p "$out"
[ -x "$limber" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 1; }
command -v espeak-ng >/dev/null || { echo "needs espeak-ng (sh scripts/deps --test)" >&2; exit 1; }

# The routine's voice, as eSpeak NG's CLI options.
voice=$(awk '/^voice:/ {print $2}' "routines/$routine.yaml" 2>/dev/null)
voice=${voice:-calm}
v=voices/$voice.yaml
get() { awk -v k="$1:" '$1 == k {print $2}' "$v"; }
espeak_voice=$(get espeak)
[ -n "$(get variant)" ] && espeak_voice="$espeak_voice+$(get variant)"

"$limber" render "$routine" $rate_opt -o "$out/session.wav" --timeline "$out/events.tsv" 2>/dev/null
# Everything limber says, in order: instructions, cues, counts.
awk -F'\t' 'NR > 1 && ($2 == "speech" || ($2 == "breath" && $5 !~ /^(in|out|hold)$/)) {print $5}' \
	"$out/events.tsv" > "$out/text.txt"
words=$(wc -w < "$out/text.txt")

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
: > "$out/limber.times"
: > "$out/espeak.times"
: > "$out/limber.rss"
i=0
while [ "$i" -lt "$runs" ]; do
	/usr/bin/time -f "%e %M" -o "$out/t" "$limber" render "$routine" $rate_opt -o "$out/session.wav" 2>/dev/null
	awk '{print $1}' "$out/t" >> "$out/limber.times"
	awk '{print $2}' "$out/t" >> "$out/limber.rss"
	/usr/bin/time -f "%e" -o "$out/t" espeak-ng -v "$espeak_voice" -s "$(get rate)" -p "$(get pitch)" \
		-g "$(get word_gap)" -f "$out/text.txt" -w "$out/espeak.wav"
	cat "$out/t" >> "$out/espeak.times"
	i=$((i + 1))
done
audio_s=$(soxi -D "$out/session.wav" 2>/dev/null || echo 0)
speech_s=$(soxi -D "$out/espeak.wav" 2>/dev/null || echo 0)
lt=$(median < "$out/limber.times")
et=$(median < "$out/espeak.times")
rss=$(median < "$out/limber.rss")
awk -v r="$routine" -v n="$runs" -v lt="$lt" -v et="$et" -v a="$audio_s" -v s="$speech_s" \
	-v rss="$rss" -v w="$words" -v rate="${3:+ at $3 Hz}" 'BEGIN {
	printf "| routine | %s%s (%.1f min of session, %d words, %.1f min of speech) |\n", r, rate, a / 60, w, s / 60
	printf "| --- | --- |\n"
	printf "| limber render, median of %d | %.2f s |\n", n, lt
	printf "| espeak-ng -w, same text and voice, median of %d | %.2f s |\n", n, et
	printf "| ratio (target at most 1.5) | %.2f |\n", lt / et
	printf "| real-time factor | %.0fx |\n", a / lt
	printf "| peak resident memory (target under 20 MB) | %.1f MB |\n", rss / 1024
}'
