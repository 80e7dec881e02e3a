#!/bin/sh
# The phone page: what a phone downloads (the page's HTML, CSS and JS, and
# Debian's Chart.js), raw and gzipped (what gzip -9 would make of it: the
# server sends it as it is), what a second visit costs (ETags, 304s), and /api/status's latency (curl's time_total on
# a kept-alive loopback connection, and a new connection each) against
# webharness (src/web.c with fake daemon ops): median, 90th percentile, max.
#
#   sh bench/web.sh [N]      (default 500 requests)
set -eu
cd "$(dirname "$0")/.."
n=${1:-500}
b=${LIMBER_BUILD:-./build}
h=$b/tests/web/webharness
[ -x "$h" ] || { echo "build first (cmake --build $b --target webharness): $h" >&2; exit 1; }
out=${TMPDIR:-/tmp}/limber-bench-web
rm -rf "$out"
mkdir -p "$out/state"
export LIMBER_DATA_DIR=$PWD
. tests/web/harness.sh
web_start "$h" "$out"
trap 'web_stop' EXIT

echo "page: bytes, gzip -9 bytes"
tot=0 totz=0
for f in / /style.css /app.js /chart.js; do
	curl -s -o "$out/f" "$WEB_URL$f"
	s=$(wc -c <"$out/f")
	z=$(gzip -9 -c "$out/f" | wc -c)
	printf '  %-12s %7d %7d\n' "$f" "$s" "$z"
	tot=$((tot + s))
	totz=$((totz + z))
done
printf '  %-12s %7d %7d\n' "all" "$tot" "$totz"
# A second visit: the browser sends each file's ETag back and gets 304s.
first=0 again=0
for f in / /style.css /app.js /chart.js; do
	set -- $(curl -s -D "$out/h" -o /dev/null -w '%{size_header} %{size_download}' "$WEB_URL$f")
	first=$((first + $1 + $2))
	tag=$(tr -d '\r' <"$out/h" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
	set -- $(curl -s -o /dev/null -H "If-None-Match: $tag" -w '%{size_header} %{size_download} %{http_code}' \
		"$WEB_URL$f")
	[ "$3" = 304 ] || echo "  $f: $3 on a second visit, not 304" >&2
	again=$((again + $1 + $2))
done
printf 'bytes received, headers included: first visit %d, second visit %d\n' "$first" "$again"

# stats FILE: median, p90 and max of one number a line, in ms.
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 * 1000 } END {
		printf "median %.3f ms, p90 %.3f ms, max %.3f ms (%d requests)\n",
			v[int((NR + 1) / 2)], v[int(NR * 0.9)], v[NR], NR }'
}
# One connection for all: curl reuses it for the repeated URL.
urls=""
i=0
while [ $i -lt "$n" ]; do urls="$urls -o /dev/null $WEB_URL/api/status"; i=$((i + 1)); done
# shellcheck disable=SC2086
curl -s -w '%{time_total}\n' $urls >"$out/keep"
printf '/api/status, one connection:  '
stats "$out/keep"
i=0
: >"$out/new"
while [ $i -lt "$n" ]; do
	curl -s -o /dev/null -w '%{time_total}\n' "$WEB_URL/api/status" >>"$out/new"
	i=$((i + 1))
done
printf '/api/status, a connection each: '
stats "$out/new"
printf '/api/history (the seeded 20 sessions): '
i=0
: >"$out/hist"
while [ $i -lt 50 ]; do
	curl -s -o /dev/null -w '%{time_total}\n' "$WEB_URL/api/history" >>"$out/hist"
	i=$((i + 1))
done
stats "$out/hist"
echo "harness resident memory: $(awk '/VmRSS/ { print $2, $3 }' /proc/"$WEB_PID"/status)"
