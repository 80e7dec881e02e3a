#!/bin/sh
# The live player on a real PortAudio stream: a private JACK server with the
# dummy driver (no sound card needed), limber's output captured by a JACK
# client and measured. One run of tests/data/live.yaml, paused and resumed:
# the captured chimes sit on the timeline's rows to within 1 ms, and the
# timeline equals the render's, with everything after the pause moved by the
# pause. It is the test that PortAudio and JACK really play what limber
# sends; limber's own clocking, the ring, keys, xruns, stalls and a lost
# device are tested faster than real time, on the device's clock alone, by
# tests/integration/sim.sh (the simulated device), and JACK killed under a
# session by tests/integration/daemon.sh.
set -u
limber=$1 capture=$2 measure=$3 out=$4
mkdir -p "$out"
. "$(dirname "$0")/checks.sh"

command -v jackd >/dev/null || { echo "live: jackd is not installed (sh scripts/deps --test)"; exit 1; }
export JACK_DEFAULT_SERVER="limber-test-$$"
export JACK_NO_AUDIO_RESERVATION=1
jack_pid=""
# Real-time scheduling, as JACK is meant to run (root has it here); without
# it a loaded two-core machine gives xruns that no sound card would.
rt="-R -P 70"
start_jack() {
	# shellcheck disable=SC2086
	# A 21 ms period: these shared VMs sleep too unevenly for 5 ms ones.
	jackd $rt -n "$JACK_DEFAULT_SERVER" -d dummy -r 48000 -p 1024 >>"$out/jackd.log" 2>&1 &
	jack_pid=$!
	i=0
	until jack_lsp >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 30 ] && [ "$rt" != "--no-realtime" ]; then
			echo "live: no real-time scheduling here; running JACK without it"
			stop_jack -TERM
			rt="--no-realtime"
			start_jack
			return
		fi
		[ $i -gt 80 ] && { echo "live: jackd did not start"; cat "$out/jackd.log"; exit 1; }
		sleep 0.1
	done
}
# SIGTERM lets jackd clear its entry in JACK's shared registry; SIGKILL (run C's
# crash) leaves it for the next server of the same name to take over.
stop_jack() { [ -n "$jack_pid" ] && kill "$1" "$jack_pid" 2>/dev/null; wait "$jack_pid" 2>/dev/null; jack_pid=""; }
cleanup() { stop_jack -TERM; rm -f "$out/keys"; }
trap cleanup EXIT INT TERM

# The reference: the same routine rendered at the device's rate.
"$limber" render tests/data/live.yaml --rate 48000 -o "$out/ref.wav" --timeline "$out/ref.tsv" 2>/dev/null

# The xruns of the last run that were not limber's: the dummy driver's own lost
# time and the capture's missed cycles. A busy host VM stalls them for tens of
# milliseconds; then the recording is not a faithful record and the run's
# sample accuracy cannot be measured (the functional checks still count).
foreign_xruns() { sed -n "$((log_from + 1)),\$p" "$out/jackd.log" | grep -c -E "Process XRun|limber_capture was not finished"; }
measurable() {
	# Under a sanitizer the callback runs several times slower and misses its
	# deadlines: the run's functions are checked, its timing is not graded.
	if [ -n "${LIMBER_LIVE_UNGRADED:-}" ]; then
		echo "live: run $1: timing not graded ($LIMBER_LIVE_UNGRADED)"
		skipped_checks=$((skipped_checks + 1))
		return 1
	fi
	# Graded only when nobody lost time: neither the JACK server and the capture,
	# nor limber (its own xruns, which it follows by skipping). With any of them
	# the capture is no longer a faithful record; the sample accuracy through
	# xruns and stalls is proved on the simulated device (sim.sh), which keeps
	# perfect time whatever the host does.
	n=$(foreign_xruns)
	own=$(grep -c "ran ahead" "$out/$(echo "$1" | tr 'A-Z' 'a-z').out" 2>/dev/null || true)
	if [ "$n" -eq 0 ] && [ "${own:-0}" -eq 0 ]; then
		return 0
	fi
	echo "live: run $1: time was lost ($n times by the JACK server or the capture, limber's own"
	echo "      xruns: ${own:-0}): this machine is too busy to pace a dummy sound card, so the"
	echo "      run's sample accuracy is not graded this time; its functions are"
	skipped_checks=$((skipped_checks + 1))
	return 1
}
skipped_checks=0

# Play with keys from a FIFO; $1: run name, then "SECONDS KEY" pairs.
play() {
	name=$1
	shift
	log_from=$(wc -l <"$out/jackd.log")
	rm -f "$out/keys"
	mkfifo "$out/keys"
	"$capture" "$out/$name.wav" limber 120 >/dev/null &
	cap=$!
	sleep 0.3
	"$limber" run tests/data/live.yaml --timeline "$out/$name.tsv" --input "$out/keys" --no-red-flags \
		>"$out/$name.out" 2>"$out/$name.err" &
	lim=$!
	exec 3>"$out/keys"
	while [ $# -ge 2 ]; do
		sleep "$1"
		case $2 in
		space) printf ' ' >&3 ;;
		*) printf '%s' "$2" >&3 ;;
		esac
		shift 2
	done
	exec 3>&-
	wait "$lim"
	status=$?
	sleep 0.3
	kill -INT "$cap" 2>/dev/null
	wait "$cap" 2>/dev/null
	return $status
}

# Rows other than pause/resume, as "kind step side detail" with the time in frames.
rows() { awk -F'\t' 'NR > 1 && $2 != "pause" && $2 != "resume" {printf "%d\t%s\t%s\t%s\t%s\n", $1 * 48000 + 0.5, $2, $3, $4, $5}' "$1"; }

start_jack

# A: pause for three seconds, nine seconds in.
play a 9 space 3 space && ok || bad "run A exited non-zero: $(cat "$out/a.err")"
rows "$out/ref.tsv" >"$out/ref.rows"
rows "$out/a.tsv" >"$out/a.rows"
tail -1 "$out/a.tsv" | grep -q "	end	" && ok || bad "A: the session did not reach its end"
grep -q "	pause	" "$out/a.tsv" && grep -q "	resume	" "$out/a.tsv" && ok || bad "A: no pause/resume rows"
if measurable A; then
# (The first hold spans the pause, so it is not given as 4 s here.)
ALIGN_MS=3000 TOLERANCE=48 "$measure" "$out/a.wav" "$out/a.tsv" sounds >"$out/a.measure" && ok ||
	bad "A: captured audio: $(grep -E 'FAIL|aligned' "$out/a.measure" | head -5)"
# Frames the player skipped to follow the device through xruns (it says so at
# the end): later rows may move on by that much, and by nothing else.
skipped=$(awk '/ran ahead/ { for (i = 1; i <= NF; i++) if ($i == "ms") print int($(i - 1) * 48 + 0.5) }' "$out/a.out")
skipped=${skipped:-0}
pause_at=$(awk -F'\t' '$2 == "pause" { printf "%d", $1 * 48000 + 0.5; exit }' "$out/a.tsv")
paste "$out/ref.rows" "$out/a.rows" | awk -F'\t' -v skipped="$skipped" -v pause_at="$pause_at" '
	$2 != $7 || $5 != $10 { print "A: row " NR " is " $7 " " $10 ", the render has " $2 " " $5; bad = 1; exit }
	{ d = $6 - $1 }
	$6 < pause_at { if (d < 0 || d > skipped + 48) { print "A: row " NR " moved by " d " before the pause"; bad = 1; exit } next }
	!shift && d <= skipped + 48 { next }  # in the fade, before the session stopped
	!shift { shift = d; from = NR }
	d < prev - 48 || d > shift + skipped + 48 { print "A: row " NR " moved by " d " frames, not " shift " (+ up to " skipped " skipped)"; bad = 1; exit }
	{ prev = d }
	END { if (!bad && shift < 2.5 * 48000) { print "A: the pause moved the rest by only " shift " frames"; bad = 1 }
	      if (!bad) printf "A: rows %d on moved by %.3f s (the pause), the %d before it by nothing (%d frames skipped for xruns)\n", from, shift / 48000, from - 1, skipped
	      exit bad }' && ok || bad "A: timeline against the render"
fi
# Whatever the host did, every row the render has was played, in order.
cut -f2,5 "$out/ref.rows" >"$out/ref.what"
cut -f2,5 "$out/a.rows" >"$out/a.what"
cmp -s "$out/ref.what" "$out/a.what" && ok || bad "A: the rows played differ from the render's"

grep -h "ran ahead" "$out"/*.out | sed 's/^/live: /'
echo "live: $pass passed, $fail failed, $skipped_checks runs not graded for accuracy"
[ "$fail" -eq 0 ]
