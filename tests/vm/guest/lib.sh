# Sourced by the scenarios (. /usr/local/lib/vm-rig/lib.sh): small helpers.
sock=/run/limber/limber.sock
ctl() { limber ctl --socket $sock "$@"; }
status() { ctl status 2>&1; }
# within TENTHS COMMAND...: wait up to TENTHS tenths of a second for COMMAND to succeed.
within() {
	n=$1
	shift
	until "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}
status_is() { [ "$(status)" = "$1" ]; }
status_has() { status | grep -q -- "$1"; }
fail() { echo "FAIL: $*"; echo "  status: $(status)"; exit 1; }
ok() { echo "ok: $*"; }
# expect TENTHS WHAT COMMAND...: COMMAND must succeed within TENTHS, else fail with WHAT.
expect() {
	t=$1 what=$2
	shift 2
	if within "$t" "$@"; then ok "$what"; else fail "$what"; fi
}
journal_has() { journalctl -b -u limber --no-pager -o cat | grep -q -- "$1"; }
