#!/bin/sh
# Build the libFuzzer targets with clang and run each for SECONDS (default 60),
# seeded from the bad-input corpus, the routine library and the sample config.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
CC=clang cmake -S . -B build-fuzz -DLIMBER_FUZZ=ON -DLIMBER_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null
work=${TMPDIR:-/tmp}/limber-fuzz
mkdir -p "$work/routine" "$work/config" "$work/ctl"
for t in routine config ctl; do
	case $t in
	routine) seeds="tests/bad routines/lower-back routines/breathing tests/data" ;;
	config) seeds="tests/data/config" ;;
	ctl) seeds="tests/fuzz/ctl-seeds" ;;
	esac
	# shellcheck disable=SC2086
	./build-fuzz/tests/fuzz/fuzz_$t -max_total_time="$secs" -max_len=65536 -timeout=10 \
		-print_final_stats=1 "$work/$t" $seeds 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|SUMMARY" |
		sed "s/^/fuzz_$t: /"
done
