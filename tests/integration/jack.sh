# Sourced by the integration tests that play through JACK: a private server
# on the dummy driver (no sound card), named for the test's process, so
# tests never share one. Needs $out for its log.
#
#   jack_up       start it and wait until it answers; $jack is its pid
#   jack_down     stop it (SIGTERM; jack_down -KILL to crash it)
command -v jackd >/dev/null || { echo "jackd is not installed (sh scripts/deps --test)"; exit 1; }
export JACK_DEFAULT_SERVER="limber-$(basename "$0" .sh)-$$" JACK_NO_AUDIO_RESERVATION=1
jack=""
jack_up() {
	jackd --no-realtime -n "$JACK_DEFAULT_SERVER" -d dummy -r 48000 -p 1024 >>"$out/jackd.log" 2>&1 &
	jack=$!
	_i=0
	until jack_lsp >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ $_i -gt 80 ] && { echo "jackd did not start"; cat "$out/jackd.log"; exit 1; }
		sleep 0.1
	done
}
jack_down() {
	[ -n "$jack" ] && kill "${1:--TERM}" "$jack" 2>/dev/null
	wait "$jack" 2>/dev/null
	jack=""
}
