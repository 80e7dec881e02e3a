#!/bin/sh
# What a user might write instead of limber: for each hold, speak with
# espeak-ng, play the start chime with aplay, sleep, play the end chime.
# Measures each hold from the launch of the start chime's command to the
# launch of the end chime's, against the hold wanted.
#
#   sh bench/shell-way.sh [HOLDS...]     (default 5 10 15 20 30)
#
# ALSA's null device does not pace playback, so this measures the floor
# (process start-up and sleep overshoot). On a real device `aplay` blocks
# for the whole chime, so a script written this way also holds longer by
# the start chime's length (1.2 s for sounds/hold-start.wav) unless it puts
# aplay in the background.
set -eu
cd "$(dirname "$0")/.."
dev=${APLAY_DEVICE:-null}
[ $# -gt 0 ] || set -- 5 10 15 20 30
: >"${TMPDIR:-/tmp}/shell-way.err"
for h in "$@"; do
	espeak-ng -v en-us+f2 -s 135 "Hold for $h seconds." --stdout >/dev/null
	t0=$(date +%s%N)
	aplay -q -D "$dev" sounds/hold-start.wav
	sleep "$h"
	t1=$(date +%s%N)
	aplay -q -D "$dev" sounds/hold-end.wav
	echo $(((t1 - t0) / 1000 - h * 1000000)) >>"${TMPDIR:-/tmp}/shell-way.err"
done
sort -n "${TMPDIR:-/tmp}/shell-way.err" | awk '{ e[NR] = $1; s += $1 }
	END { printf "shell script (espeak-ng, aplay -D '"$dev"', sleep): %d holds, hold error mean %.1f ms, max %.1f ms, median %.1f ms\n",
	      NR, s / NR / 1000, e[NR] / 1000, e[int((NR + 1) / 2)] / 1000 }'
echo "with a blocking aplay on a real device, add the start chime: $(soxi -D sounds/hold-start.wav) s"
