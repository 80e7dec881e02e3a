#!/bin/sh
# valgrind memcheck on a live session: `limber run` on JACK's dummy driver,
# the audio callback thread and the device's teardown included. Run by hand
# (not in CI): valgrind runs one thread at a time, so on a loaded machine the
# callback starves behind synthesis and the player takes its device for lost;
# its restart (exec of /proc/self/exe) cannot work under valgrind.
set -u
limber=$1 out=$2
mkdir -p "$out"
export JACK_DEFAULT_SERVER="limber-vg-$$" JACK_NO_AUDIO_RESERVATION=1
jackd --no-realtime -n "$JACK_DEFAULT_SERVER" -d dummy -r 48000 -p 1024 >"$out/jackd.log" 2>&1 &
jack=$!
trap 'kill $jack 2>/dev/null; wait 2>/dev/null' EXIT
i=0
until jack_lsp >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -gt 80 ] && { echo "valgrind_live: jackd did not start"; exit 1; }
	sleep 0.1
done
# A generous latency: valgrind runs the callback some 30 times slower.
XDG_STATE_HOME=$out/state valgrind -q --error-exitcode=1 --leak-check=full \
	--errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp \
	"$limber" run tests/data/tiny.yaml --input /dev/null --latency 200 >"$out/run.out" 2>"$out/vg.txt"
rc=$?
cat "$out/vg.txt"
grep -q "step 1 of" "$out/run.out" || { echo "valgrind_live: the session did not play"; exit 1; }
[ "$rc" = 0 ] && echo "valgrind_live: clean" || echo "valgrind_live: errors (exit $rc)"
exit "$rc"
