#!/bin/sh
# web_browser: the phone page in Debian's headless Chromium against webharness
# (label: web): start, pause and stop clicked reach the protocol, a screenshot of
# each page (OUTDIR/*.png), and axe-core with 0 violations on each. axe-core comes
# from npm at the version tests/web/package-lock.json pins, kept beside OUTDIR.
#   browser.sh WEBHARNESS OUTDIR
#   browser.sh --npm-only NPMDIR    axe-core alone, for web_daemon
set -u
cd "$(dirname "$0")/../.."
src=$(pwd)/tests/web
# npm ci into the build directory (never the source tree), once.
axe_install() {
	if ! cmp -s "$src/package-lock.json" "$1/package-lock.json" ||
		[ ! -f "$1/node_modules/axe-core/axe.min.js" ]; then
		rm -rf "$1"
		mkdir -p "$1"
		cp "$src/package.json" "$src/package-lock.json" "$1/"
		(cd "$1" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null) ||
			{ echo "web: npm ci failed (axe-core)"; return 1; }
	fi
}
if [ "$1" = --npm-only ]; then
	axe_install "$2"
	exit
fi
harness=$1 out=$2
mkdir -p "$out"
npm=$(dirname "$out")/npm
axe_install "$npm" || exit 1
rm -rf "$out/state" "$out"/*.png
mkdir -p "$out/state"
. tests/web/harness.sh
web_start "$harness" "$out" || exit 1
python3 "$src/browser.py" "$WEB_URL" "$out/log" "$npm/node_modules/axe-core/axe.min.js" "$out"
status=$?
web_stop
[ $status -eq 0 ] && echo "web_browser: screenshots in $out"
exit $status
