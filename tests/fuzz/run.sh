#!/bin/sh
# Build the libFuzzer targets with clang and run each for SECONDS (default 60),
# seeded from the bad-input corpus, the routine library and the sample config.
# Exits non-zero if any target finds a crash, a leak or a timeout (the input
# that did it is left in the current directory as crash-*, leak-* or timeout-*).
set -u
cd "$(dirname "$0")/../.."
secs=${1:-60}
CC=clang cmake -S . -B build-fuzz -DLIMBER_FUZZ=ON -DLIMBER_TESTS=OFF >/dev/null || exit 1
cmake --build build-fuzz -j"$(nproc)" >/dev/null || exit 1
work=${TMPDIR:-/tmp}/limber-fuzz
# Leaks inside libfyaml count too (lsan.supp says why it suppresses none).
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
mkdir -p "$work/routine" "$work/config" "$work/ctl"
failed=0
for t in routine config ctl; do
	case $t in
	routine) seeds="tests/bad routines tests/data" ;;
	config) seeds="tests/data/config dist" ;;
	ctl) seeds="tests/fuzz/ctl-seeds" ;;
	esac
	# -rss_limit_mb: what a 512 MB Pi could give it, ASan's own memory included
	# (its quarantine held to 32 MB); an input that costs more fails, as 1 MiB
	# of '[' did when libfyaml took 370 MB for it.
	# shellcheck disable=SC2086
	ASAN_OPTIONS="quarantine_size_mb=32${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
	./build-fuzz/tests/fuzz/fuzz_$t -max_total_time="$secs" -max_len=65536 -timeout=10 \
		-rss_limit_mb=384 \
		-print_final_stats=1 "$work/$t" $seeds >"$work/$t.log" 2>&1
	rc=$?
	grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|SUMMARY" "$work/$t.log" |
		sed "s/^/fuzz_$t: /"
	if [ "$rc" -ne 0 ]; then
		echo "fuzz_$t: FAILED (exit $rc); see $work/$t.log"
		failed=1
	fi
done
exit "$failed"
