#!/bin/sh
# Live playback on JACK's dummy driver (a paced sink, no sound card), captured
# and measured: every chime's onset against the schedule over the whole
# session (so drift shows as the last error against the first), key-to-sound
# latency, and the CPU time and peak memory of the session.
#
#   sh bench/live.sh [ROUTINE] [PRESSES]    (default bench/data/thirty.yaml, 10)
set -eu
cd "$(dirname "$0")/.."
routine=${1:-bench/data/thirty.yaml}
presses=${2:-10}
b=./build
out=${TMPDIR:-/tmp}/limber-bench-live
rm -rf "$out"
mkdir -p "$out"
for t in "$b/limber" "$b/tests/jack_capture" "$b/tests/measure_render" "$b/tests/keytime"; do
	[ -x "$t" ] || { echo "build first (cmake --build build): $t" >&2; exit 1; }
done
export JACK_DEFAULT_SERVER="limber-bench-$$" JACK_NO_AUDIO_RESERVATION=1
jackd -R -P 70 -n "$JACK_DEFAULT_SERVER" -d dummy -r 48000 -p 1024 >"$out/jackd.log" 2>&1 &
jack=$!
trap 'kill -9 $jack 2>/dev/null' EXIT
until jack_lsp >/dev/null 2>&1; do sleep 0.1; done

mkfifo "$out/keys"
"$b/tests/jack_capture" "$out/capture.wav" limber 7200 >"$out/sync.txt" &
cap=$!
sleep 0.3
/usr/bin/time -f "%U %S %e %M" -o "$out/time.txt" "$b/limber" run "$routine" \
	--timeline "$out/live.tsv" --input "$out/keys" --no-red-flags >"$out/run.out" 2>"$out/run.err" &
lim=$!
# Memory, sampled each second: a client of a real-time JACK server has JACK's
# shared memory (about 100 MB) locked into its RSS, which is not limber's; so
# anonymous memory, file mappings and shared memory are kept apart.
(
	sleep 1
	pid=$(pgrep -P "$lim" -f "limber run" | head -1)
	while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do
		awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ {printf "%s %s ", $1, $2} END {print ""}' \
			"/proc/$pid/status" 2>/dev/null >>"$out/mem.txt"
		sleep 1
	done
) &
exec 3>"$out/keys"   # hold the FIFO open between presses
sleep 20
i=0
while [ "$i" -lt "$presses" ]; do
	"$b/tests/keytime" "$out/keys" + >>"$out/presses.ns"
	sleep 6
	"$b/tests/keytime" "$out/keys" - >>"$out/presses.ns"
	sleep 6
	i=$((i + 1))
done
wait "$lim"
exec 3>&-
sleep 0.5
kill -INT "$cap"
wait "$cap" || true

# Key presses to capture frames, through the capture's (monotonic ns, frame) pairs.
awk 'NR == FNR { if ($1 == "sync") { ns[++n] = $2; fr[n] = $3 } next }
     { k = 1; while (k < n && ns[k + 1] <= $1) k++
       printf "%d\n", fr[k] + ($1 - ns[k]) * 48000 / 1e9 }' "$out/sync.txt" "$out/presses.ns" >"$out/presses.frames"
ALIGN_MS=3000 TOLERANCE=480 KEYS="$out/presses.frames" ONSETS="$out/onsets.tsv" \
	"$b/tests/measure_render" "$out/capture.wav" "$out/live.tsv" sounds >"$out/measure.txt" || true
grep -E "^(aligned|onsets|key latency|measure_render)" "$out/measure.txt"
# Drift, robust to a host that stalls the dummy driver: only chimes the capture
# holds whole (match above 0.9) count; the first ten against the last ten.
sort -n "$out/onsets.tsv" | awk -F'\t' '
	function sort10(v,   i, j, x) { for (i = 2; i <= 10; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x } }
	$3 > 0.9 { t[++n] = $1; e[n] = $2 } { all++ }
	END { if (n < 20) { print "drift: too few chimes captured whole (" n " of " all "): the host stalled the dummy driver; see onsets.tsv"; exit }
	      for (i = 1; i <= n; i++) { a = e[i] < 0 ? -e[i] : e[i]; if (a > m) m = a }
	      for (i = 1; i <= 10; i++) { f[i] = e[i]; l[i] = e[n - 10 + i] }
	      sort10(f); sort10(l)
	      printf "drift: %d of %d chimes captured whole; onset error max %d samples; median of the first ten %+d, of the last ten %+d (%.1f min apart)\n",
	             n, all, m, (f[5] + f[6]) / 2, (l[5] + l[6]) / 2, (t[n - 5] - t[5]) / 60 }'
echo "xruns of the JACK server and the capture: $(grep -c -E "Process XRun|limber_capture was not finished" "$out/jackd.log")"
read -r user sys elapsed rss <"$out/time.txt"
awk -v u="$user" -v s="$sys" -v e="$elapsed" 'BEGIN {
	printf "session: %.1f min, CPU %.2f s (%.2f%% of one core)\n", e / 60, u + s, 100 * (u + s) / e }'
awk '{ for (i = 1; i < NF; i += 2) if ($(i + 1) > m[$i]) m[$i] = $(i + 1) }
	END { printf "peak memory: %.1f MB resident, of which limber %.1f MB (anonymous %.1f, files %.1f) and JACK shared memory %.1f MB\n",
	      m["VmRSS:"] / 1024, (m["RssAnon:"] + m["RssFile:"]) / 1024, m["RssAnon:"] / 1024, m["RssFile:"] / 1024, m["RssShmem:"] / 1024 }' "$out/mem.txt"
grep -E "latency" "$out/run.out" || true
