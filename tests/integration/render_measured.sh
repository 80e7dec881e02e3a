#!/bin/sh
# Render sessions with the real binary and measure the audio against the
# timeline: chimes on their exact samples, holds exact, speech audible.
set -eu
limber=$1 measure=$2 out=$3
mkdir -p "$out"

"$limber" render tests/data/short.yaml -o "$out/short.wav" --timeline "$out/short.tsv"
"$measure" "$out/short.wav" "$out/short.tsv" sounds 30,30,4,4,4,40,45

# A render is a function of the routine: the same bytes every time. A second
# later, too: eSpeak NG 1.52 seeds its noise from time(NULL), and the calm
# voice breathes it into every phrase (speech.c seeds it per utterance).
sleep 1
"$limber" render tests/data/short.yaml -o "$out/again.wav" --timeline "$out/again.tsv" 2>/dev/null
# (Not `cmp && cmp`: under set -e a failure before the last && does not stop the script.)
for f in wav tsv; do
	cmp "$out/short.$f" "$out/again.$f" || { echo "FAIL: a second render's $f differs from the first"; exit 1; }
done

# The same at the live player's usual rate.
"$limber" render tests/data/short.yaml --rate 48000 -o "$out/short48.wav" --timeline "$out/short48.tsv"
"$measure" "$out/short48.wav" "$out/short48.tsv" sounds 30,30,4,4,4,40,45

# Evening mode: the same holds, exact, with the chimes softening to the end.
"$limber" render tests/data/short.yaml --evening -o "$out/evening.wav" --timeline "$out/evening.tsv"
EVENING=1 "$measure" "$out/evening.wav" "$out/evening.tsv" sounds 30,30,4,4,4,40,45

# A real routine from the library, end to end.
"$limber" render neck/beginner -o "$out/neck.wav" --timeline "$out/neck.tsv"
"$measure" "$out/neck.wav" "$out/neck.tsv" sounds
