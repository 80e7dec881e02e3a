#!/bin/sh
# web_browser: the phone page in Debian's headless Chromium against webharness
# (label: web): start, pause and stop clicked reach the protocol, a screenshot of
# each page (OUTDIR/*.png), and axe-core with 0 violations on each. axe-core comes
# from npm at the version tests/web/package-lock.json pins, kept in OUTDIR.
#   browser.sh WEBHARNESS OUTDIR
set -u
harness=$1 out=$2
cd "$(dirname "$0")/../.."
src=$(pwd)/tests/web
mkdir -p "$out"
# npm ci into the build directory (never the source tree), once.
npm=$(dirname "$out")/npm
if ! cmp -s "$src/package-lock.json" "$npm/package-lock.json" ||
	[ ! -f "$npm/node_modules/axe-core/axe.min.js" ]; then
	rm -rf "$npm"
	mkdir -p "$npm"
	cp "$src/package.json" "$src/package-lock.json" "$npm/"
	(cd "$npm" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null) ||
		{ echo "web_browser: npm ci failed (axe-core)"; exit 1; }
fi
rm -rf "$out/state" "$out"/*.png
mkdir -p "$out/state"
. tests/web/harness.sh
web_start "$harness" "$out" || exit 1
python3 "$src/browser.py" "$WEB_URL" "$out/log" "$npm/node_modules/axe-core/axe.min.js" "$out"
status=$?
web_stop
[ $status -eq 0 ] && echo "web_browser: screenshots in $out"
exit $status
