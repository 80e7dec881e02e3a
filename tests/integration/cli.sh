#!/bin/sh
# The command line as a user meets it: help, versions, exit statuses, and
# errors as one line with file:line:col.
set -u
limber=$1
. "$(dirname "$0")/checks.sh"
expect_status() { # want cmd...
	want=$1; shift
	"$@" >/tmp/limber-cli.out 2>/tmp/limber-cli.err
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else bad "$* exited $got, wanted $want"; fi
}

expect_status 0 "$limber" --version
grep -q '^limber [0-9]' /tmp/limber-cli.out && ok || bad "--version prints nothing useful"
# Each library with the version it was built with and the one it runs with.
for lib in "eSpeak NG" PortAudio libsndfile libsamplerate libfyaml libgpiod libevdev SQLite libmosquitto libsystemd; do
	grep -q "^  $lib  *[0-9n]" /tmp/limber-cli.out && ok || bad "--version does not name $lib"
done
grep -q '^  libgpiod  *[0-9.]* (v[12] API)  *[0-9]' /tmp/limber-cli.out && ok ||
	bad "--version lacks libgpiod's API or its running version"
grep -q '^  SQLite  *\([0-9.]*\)  *[0-9.][0-9.]*$' /tmp/limber-cli.out && ok ||
	bad "--version lacks SQLite's running version"
expect_status 0 "$limber" --help
for c in list check render; do expect_status 0 "$limber" "$c" --help; done
# limber(1) keeps in step with --help: every long option of every command is in it.
man=$(dirname "$0")/../../man/limber.1
for c in list check render run devices say history daemon ctl settings; do
	for o in $("$limber" "$c" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		sed 's/\\-/-/g' "$man" | grep -q -- "$o\([^a-z-]\|$\)" && ok || bad "limber(1) leaves out $c $o"
	done
done
grep -q 'no \\fINAME\\fR, in a terminal' "$man" && ok || bad "limber(1) leaves out the guided run (no NAME)"
expect_status 2 "$limber" frobnicate
expect_status 2 "$limber"

expect_status 1 "$limber" check tests/bad/unknown-key.yaml
[ "$(wc -l </tmp/limber-cli.err)" -eq 1 ] && ok || bad "check error is not one line"
grep -q "^tests/bad/unknown-key.yaml:4:1: unknown key 'colour'" /tmp/limber-cli.err && ok ||
	bad "check error lacks file:line:col: $(cat /tmp/limber-cli.err)"
expect_status 1 "$limber" check tests/bad/alias-bomb.yaml
expect_status 1 "$limber" check tests/bad/binary.yaml
expect_status 1 "$limber" check no/such/routine
grep -q "no routine named 'no/such/routine'" /tmp/limber-cli.err && ok || bad "missing routine message"
expect_status 1 "$limber" check tests/data/tiny.yaml tests/bad/empty.yaml
grep -q "Chin tuck" /tmp/limber-cli.out && ok || bad "check stops at the first bad file"

# Every routine in the library checks clean, by name.
names=$(cd routines && find . -name '*.yaml' | sed 's|^\./||; s|\.yaml$||' | sort)
# shellcheck disable=SC2086
expect_status 0 "$limber" check $names
n=$(echo "$names" | wc -l)
expect_status 0 "$limber" list --tsv
[ "$(wc -l </tmp/limber-cli.out)" -eq "$n" ] && ok || bad "list --tsv shows $(wc -l </tmp/limber-cli.out) of $n routines"
awk -F'\t' 'NF != 5 || $4 !~ /^[0-9]+$/ { exit 1 }' /tmp/limber-cli.out && ok || bad "list --tsv fields"
grep -q "^lower-back/beginner	lower-back	beginner	[0-9]*	" /tmp/limber-cli.out && ok || bad "list --tsv row"
expect_status 0 "$limber" list --about
grep -q "bladder" /tmp/limber-cli.out && ok || bad "list --about lacks the red-flag warning"

expect_status 2 "$limber" render tests/data/tiny.yaml
expect_status 1 "$limber" render tests/bad/zero-hold.yaml -o /tmp/limber-cli.wav
[ ! -e /tmp/limber-cli.wav ] && ok || bad "a bad routine still wrote a file"
expect_status 1 "$limber" render tests/data/tiny.yaml -o /nonexistent/dir/x.wav
[ "$(wc -l </tmp/limber-cli.err)" -eq 1 ] && ok || bad "render error is not one line"

# A start that never made a sound is not history: no device, no row, nothing to resume.
st=/tmp/limber-cli-state.$$
rm -rf "$st"
expect_status 1 "$limber" run tests/data/tiny.yaml --device no-such-output-anywhere --state-dir "$st"
grep -q "when to see a doctor" /tmp/limber-cli.out && ok || bad "a fresh history: the red flags come first"
expect_status 0 "$limber" history --tsv --state-dir "$st"
[ "$(wc -l </tmp/limber-cli.out)" -eq 1 ] && ok ||
	bad "a session that never sounded is in the history: $(tail -1 /tmp/limber-cli.out)"
expect_status 1 "$limber" run --resume --state-dir "$st"
grep -q "no interrupted session" /tmp/limber-cli.err && ok || bad "a silent start offered for resume"
# The evening timer's routine: with no history, the lower back's beginner programme.
expect_status 0 "$limber" history --evening --state-dir "$st"
[ "$(cat /tmp/limber-cli.out)" = lower-back/beginner ] && ok ||
	bad "history --evening with no history: $(cat /tmp/limber-cli.out), not lower-back/beginner"
expect_status 2 "$limber" run --lead-in 1h tests/data/tiny.yaml
expect_status 2 "$limber" run --morning-until 25:00 tests/data/tiny.yaml
expect_status 2 "$limber" run </dev/null   # no NAME and no terminal to ask where it hurts
rm -rf "$st"

# The phone page's settings: defaults with no file; a timer the page turned off makes
# --timer exit 1 (its service's ExecCondition=), one still on 0; a broken file is an
# error for the listing, but never silences a timer.
st=$(mktemp -d /tmp/limber-cli-settings.XXXXXX)
expect_status 0 "$limber" settings --state-dir "$st"
grep -q '"timers":{"morning":true,"midday":true,"evening":true}' /tmp/limber-cli.out && ok ||
	bad "settings with no file: $(cat /tmp/limber-cli.out)"
expect_status 0 "$limber" settings --state-dir "$st" --timer midday
echo '{"volume_db": -6, "timers": {"midday": false}}' >"$st/settings.json"
expect_status 0 "$limber" settings --state-dir "$st"
grep -q '"volume_db":-6,.*"midday":false' /tmp/limber-cli.out && ok ||
	bad "settings does not print the file's: $(cat /tmp/limber-cli.out)"
expect_status 1 "$limber" settings --state-dir "$st" --timer midday
expect_status 0 "$limber" settings --state-dir "$st" --timer evening
expect_status 2 "$limber" settings --state-dir "$st" --timer noon
echo '{"volume_db": -6' >"$st/settings.json"
expect_status 1 "$limber" settings --state-dir "$st"
grep -q "^limber: $st/settings.json:[0-9]*:[0-9]*: " /tmp/limber-cli.err && ok ||
	bad "a broken settings.json without file:line:col: $(cat /tmp/limber-cli.err)"
expect_status 0 "$limber" settings --state-dir "$st" --timer midday
rm -rf "$st"

# The daemon never removes what is not a socket at its socket path.
f=$(mktemp /tmp/limber-cli-sock.XXXXXX)
echo "the owner's notes" >"$f"
expect_status 1 "$limber" daemon --socket "$f" --state-dir /tmp/limber-cli-state.$$
grep -q "is there and is not a socket: not removing it" /tmp/limber-cli.err && ok ||
	bad "a file at the socket path: $(cat /tmp/limber-cli.err)"
[ "$(cat "$f")" = "the owner's notes" ] && ok || bad "the daemon removed a regular file at its socket path"
rm -rf "$f" /tmp/limber-cli-state.$$

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
