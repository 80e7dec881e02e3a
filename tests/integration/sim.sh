#!/bin/sh
# The live player on a simulated sound device (build/tests/limber-sim, see
# tests/sim/audio_sim.c): faster than real time, on the device's clock alone,
# faults on cue. What the device played is its own capture; it is checked
# against `limber render` of the same routine, in the audio: every chime by
# the matched filter of measure_render.c, at the frame the render predicts
# (TOLERANCE 0), and the whole capture sample for sample by wavdiff.
#
#   sim.sh LIMBER LIMBER_SIM MEASURE WAVDIFF OUT clean|faults|keys
#
# clean:  bench/data/thirty.yaml (31 minutes): the capture is the render.
# faults: the same with xruns, jitter, a stall and a lost device: every chime
#         on its render frame (the player keeps the schedule on the device's
#         clock), silence exactly where the device lost frames and nothing
#         else different, the closing line counting every skip.
# keys:   tests/data/live.yaml with keys sent at device times: pause, next,
#         previous, extend land on the frames the render predicts.
set -u
limber=$1 sim=$2 measure=$3 wavdiff=$4 out=$5 what=$6
# Device seconds per wall second: any speed gives the same sound (the device
# waits on the player); 64 is about the fastest this player reaches (bench/sim.sh).
speed=${LIMBER_SIM_SPEED:-64}
rate=48000
out=$out/$what
rm -rf "$out"
mkdir -p "$out"
. "$(dirname "$0")/checks.sh"

# The reference: the routine rendered at the device's rate, its rows in frames.
reference() {
	"$limber" render "$1" --rate $rate -o "$out/ref.wav" --timeline "$out/ref.tsv" 2>"$out/render.err" ||
		{ echo "sim: render failed: $(cat "$out/render.err")"; exit 1; }
}

# Play $1 on the simulated device with the options $2; name $3.
play() {
	"$sim" run "$1" --device "sim:speed=$speed,capture=$out/$3.wav,faults=$out/$3.faults${2:+,$2}" \
		--timeline "$out/$3.tsv" --no-red-flags ${4:+--input "$4"} >"$out/$3.out" 2>"$out/$3.err"
}

# A timeline from the render's rows, moved as awk program $1 says (it sees the
# frame as f and sets f < 0 to drop the row); the header is kept.
expect() {
	awk -F'\t' -v OFS='\t' -v rate=$rate "NR == 1 { print; next }
		{ f = int(\$1 * rate + 0.5) }
		$1
		f >= 0 { \$1 = sprintf(\"%.9f\", f / rate); print }" "$out/ref.tsv"
}

# measure_render's verdict on capture $1 against timeline $2, as one check.
heard() {
	"$measure" "$out/$1.wav" "$2" sounds >"$out/$1.measure" 2>&1 && ok ||
		bad "$1: the capture against the render: $(grep -E '^FAIL' "$out/$1.measure" | head -5)"
	grep -E '^onsets' "$out/$1.measure" | sed "s/^/sim: $1: /"
}

# The closing line's skips and frames: "K F", or "0 0".
skips() {
	awk '/ran ahead/ { for (i = 1; i <= NF; i++) { if ($i == "ran") k = $(i + 2); if ($i == "frames)") f = substr($(i - 1), 2) } }
	     END { print (k ? k : 0), (f ? f : 0) }' "$out/$1.out"
}

case $what in
clean)
	reference bench/data/thirty.yaml
	play bench/data/thirty.yaml "" clean && ok || bad "clean: exited non-zero: $(cat "$out/clean.err")"
	export ONSETS="$out/clean.onsets"
	heard clean "$out/ref.tsv"
	unset ONSETS
	awk -F'\t' '{ n++; if ($2 != 0) off++; last = $1 } END {
		printf "sim: drift: %d chimes over %.1f minutes, %d off their render frame; the last at %+d frames\n", n, last / 60, off, $2
		exit off || n < 30 }' "$out/clean.onsets" && ok || bad "clean: chimes off their frames"
	"$wavdiff" "$out/clean.wav" "$out/ref.wav" >"$out/clean.diff" && ok ||
		bad "clean: the capture is not the render: $(head -5 "$out/clean.diff")"
	grep '^wavdiff: [0-9]* frames' "$out/clean.diff" | sed 's/^/sim: /'
	[ "$(skips clean)" = "0 0" ] && ok || bad "clean: skips on a clean device: $(skips clean)"
	;;
faults)
	scenario="xrun_every=90,xrun_frames=1024,jitter=256,stall_at=300,stall_s=3,lose_at=600"
	echo "sim: faults: $scenario"
	reference bench/data/thirty.yaml
	play bench/data/thirty.yaml "$scenario" faults && ok ||
		bad "faults: exited non-zero: $(cat "$out/faults.err")"
	f=$out/faults.faults
	grep -q "stopped" "$out/faults.err" && grep -q "back" "$out/faults.err" && ok ||
		bad "faults: no word of the lost device: $(cat "$out/faults.err")"
	[ "$(grep -c '^lose' "$f")" = 1 ] && [ "$(grep -c '^open' "$f")" = 2 ] && ok ||
		bad "faults: the device was lost $(grep -c '^lose' "$f") times and opened $(grep -c '^open' "$f") times, wanted 1 and 2"
	grep -q '^capture_gap' "$f" && bad "faults: the restarted device did not go on at the frame where the lost one stopped: $(grep capture_gap "$f")" || ok
	# What was injected: xruns every 90 s of device time, each a period
	# (1024 frames); the stall's 3 s, rounded up to whole periods.
	want_k=$(awk '$1 == "xrun" || $1 == "stall" { n++ } END { print n + 0 }' "$f")
	want_f=$(awk '$1 == "xrun" || $1 == "stall" { s += $3 } END { print s + 0 }' "$f")
	xruns=$(grep -c '^xrun' "$f")
	[ "$xruns" -ge 19 ] && [ "$(awk '$1 == "stall" { print $3 }' "$f")" = 144384 ] && ok ||
		bad "faults: the device injected $xruns xruns and a stall of $(awk '$1 == "stall" { print $3 }' "$f") frames"
	[ "$(skips faults)" = "$want_k $want_f" ] && ok ||
		bad "faults: limber reports skips and frames '$(skips faults)', the device lost '$want_k $want_f'"
	echo "sim: faults: the device lost $want_f frames in $want_k xruns and stalls; limber's closing line: $(grep 'ran ahead' "$out/faults.out")"
	# Every chime, found in the capture, on the render's frame: the player
	# followed the device's clock through each loss, so the schedule held. Rows
	# whose sound the device lost (in a gap, or starting within the 0.4 s
	# measure_render listens to before one) are lost, not late: they are left out.
	awk '$3 > 0 && ($1 == "xrun" || $1 == "stall") { printf "$1 != \"end\" && f >= %d - 19200 && f < %d + %d { f = -1 }\n", $2, $2, $3 }' "$f" >"$out/gaps.awk"
	expect "$(cat "$out/gaps.awk")" >"$out/expected.tsv"
	echo "sim: faults: $(($(wc -l <"$out/ref.tsv") - $(wc -l <"$out/expected.tsv"))) rows of the render fell in or just before a gap"
	heard faults "$out/expected.tsv"
	grep -q '^onsets: [0-9]* chimes, max error 0 samples' "$out/faults.measure" && ok ||
		bad "faults: chimes late or early: $(grep onsets "$out/faults.measure")"
	# And nothing else: outside the gaps the capture is the render, sample for
	# sample, across the restart too (the sound cut by the loss goes on mid-word).
	"$wavdiff" "$out/faults.wav" "$out/ref.wav" "$f" >"$out/faults.diff" && ok ||
		bad "faults: the capture differs from the render outside the device's gaps: $(head -5 "$out/faults.diff")"
	grep '^wavdiff: [0-9]* frames' "$out/faults.diff" | sed 's/^/sim: /'
	;;
keys)
	reference tests/data/live.yaml
	keyed() {   # $1 name, $2 key options
		rm -f "$out/$1.keys"
		mkfifo "$out/$1.keys"
		# Hold the FIFO open (limber reads to its end); read-write, so this
		# never blocks, even if limber does not come up.
		exec 3<>"$out/$1.keys"
		play tests/data/live.yaml "keys=$out/$1.keys,$2" "$1" "$out/$1.keys" &&
			ok || bad "$1: exited non-zero: $(cat "$out/$1.err")"
		exec 3>&-
	}
	# The device frame of device second $1: the first period boundary at or after it.
	dframe() { echo $((($1 * rate + 1023) / 1024 * 1024)); }
	row() { awk -F'\t' -v k="$2" -v n="${3:-1}" '$2 == k && ++i == n { printf "%d", $1 * 48000 + 0.5 }' "$out/$1.tsv"; }
	T1=$(row ref step 1)   # the render's step starts
	T2=$(awk -F'\t' '$2 == "step" && $3 == 2 { printf "%d", $1 * 48000 + 0.5 }' "$out/ref.tsv")
	end1=$(row ref hold_end 1)
	seek=7200   # a seek starts 150 ms after the key (player.c)
	fade=1440   # the session runs on through the 30 ms fade-out of a pause

	# Pause 9 s in (mid-hold), resume 2 s of device time later: everything
	# after moves by those 2 s, the "Resuming" said before the session goes on
	# and 200 ms, less the fade-out the session ran through.
	keyed pause "key=9:space,key=11:space"
	X=$(dframe 9) X2=$(dframe 11)
	P=$(row pause pause) R=$(row pause resume)
	[ "$P" = "$X" ] && ok || bad "pause: paused at $P, the key came at device frame $X"
	resuming=$((R - X2 - 9600))
	[ "$resuming" -gt 9600 ] && [ "$resuming" -lt 96000 ] && ok ||
		bad "pause: resumed $((R - X2)) frames after the key; want the length of \"Resuming\" and 200 ms"
	shift=$((R - X - fade))
	expect "f >= $X { f += $shift }" >"$out/pause.expected"
	heard pause "$out/pause.expected"
	echo "sim: pause: 2 s of device time ($((X2 - X)) frames) plus \"Resuming\" ($resuming frames) and 200 ms, less the fade ($fade): $shift frames later"

	# Next and previous land where the player puts a seek: the step 150 ms
	# after the key, at a frame known from the device alone. What follows the
	# landing is laid out as in the render, except that the render cannot
	# predict speech lengths after a seek to the frame: eSpeak NG's state makes
	# a phrase's length depend on what was said before it (speech.h), and a
	# seek changes that. So after the landing the chimes are checked in the
	# audio against the rows limber wrote, holds against the routine, and the
	# difference from the render is printed, not graded.
	landed() {   # $1 run, $2 the steps wanted, $3 the holds heard, then "STEP FRAME" landings
		name=$1 want=$2 holds=$3
		shift 3
		steps=$(awk -F'\t' '$2 == "step" { printf "%s ", $3 }' "$out/$name.tsv")
		[ "$steps" = "$want" ] && ok || bad "$name: steps went $steps, wanted $want"
		while [ $# -ge 2 ]; do
			got=$(awk -F'\t' -v s="$1" -v want="$2" '$2 == "step" && $3 == s { f = int($1 * 48000 + 0.5); if (f == want) { print f; exit } last = f } END { if (last) print last }' "$out/$name.tsv" | head -1)
			[ "$got" = "$2" ] && ok || bad "$name: step $1 began at frame $got, the seek puts it at $2"
			shift 2
		done
		"$measure" "$out/$name.wav" "$out/$name.tsv" sounds "$holds" >"$out/$name.own" 2>&1 && ok ||
			bad "$name: the capture against limber's own rows: $(grep -E '^FAIL' "$out/$name.own" | head -3)"
		# Hold-end chimes, the render's offset from its step against this run's.
		awk -F'\t' 'FNR == 1 { file++ } $2 == "step" { st = $1 } $2 == "hold_end" { d[file, ++n[file]] = $1 - st }
			END { for (i = 1; i <= n[2] && i <= n[1]; i++) printf "%+d ", (d[2, n[2] - i + 1] - d[1, n[1] - i + 1]) * 48000 }' \
			"$out/ref.tsv" "$out/$name.tsv" >"$out/$name.drift"
		echo "sim: $name: landed as predicted; hold ends against the render's, from the last: $(cat "$out/$name.drift")frames (eSpeak NG's state)"
	}
	# Next 3 s in (step 1's words): step 2 starts 150 ms after the key.
	keyed next "key=3:n"
	landed next "1 2 3 " 3,3,5 2 $(($(dframe 3) + seek))
	# Next at 3 s, previous a second later (under 5 s into step 2): back to step 1.
	keyed previous "key=3:n,key=4:p"
	landed previous "1 2 1 2 3 " 4,4,3,3,5 2 $(($(dframe 3) + seek)) 1 $(($(dframe 4) + seek))
	# Previous 7 s into step 1 (over 5 s in): step 1 again from its start.
	keyed restart "key=7:p"
	landed restart "1 1 2 3 " 4,4,3,3,5 1 $(($(dframe 7) + seek))

	# Extend 9 s in (the first hold): it ends 10 s later, and so does the rest.
	keyed extend "key=9:e"
	expect "f >= $end1 { f += 480000 }" >"$out/extend.expected"
	heard extend "$out/extend.expected"
	;;
*)
	echo "usage: sim.sh LIMBER LIMBER_SIM MEASURE WAVDIFF OUT clean|faults|keys" >&2
	exit 2
	;;
esac
echo "sim $what: $pass passed, $fail failed"
# The captures and renders are large (31 minutes: 170 MB each): kept only to look into a failure.
[ "$fail" -eq 0 ] && rm -f "$out"/*.wav
[ "$fail" -eq 0 ]
