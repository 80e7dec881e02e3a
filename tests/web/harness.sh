# shellcheck shell=sh
# harness.sh: start and stop webharness for the web tests (sourced).
#   web_start HARNESS OUTDIR   a free port on 127.0.0.1, the seeded history in
#                              OUTDIR/state, commands logged to OUTDIR/log;
#                              sets WEB_PID, WEB_ADDR and WEB_URL
#   web_stop
web_start() {
	: >"$2/log"
	for port in $(seq 18300 18399); do
		"$1" --listen "127.0.0.1:$port" --pin 4711 --state-dir "$2/state" --log "$2/log" \
			--seed >"$2/harness.out" 2>&1 &
		WEB_PID=$!
		web_tries=0
		while [ $web_tries -lt 50 ] && kill -0 $WEB_PID 2>/dev/null &&
			! grep -q '^ready' "$2/harness.out"; do
			sleep 0.1
			web_tries=$((web_tries + 1))
		done
		if grep -q '^ready' "$2/harness.out"; then
			WEB_ADDR=127.0.0.1:$port
			WEB_URL=http://$WEB_ADDR
			return 0
		fi
		kill $WEB_PID 2>/dev/null
		wait $WEB_PID 2>/dev/null
		grep -q 'Address already in use' "$2/harness.out" || break
		rm -rf "$2/state"
		mkdir -p "$2/state"
	done
	echo "web: the harness did not start:" >&2
	cat "$2/harness.out" >&2
	return 1
}

web_stop() {
	kill "$WEB_PID" 2>/dev/null
	wait "$WEB_PID" 2>/dev/null
}
