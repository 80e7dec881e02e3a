#!/bin/sh
# A first run in a terminal on a machine with no sound device, as someone new
# meets limber (the simulated device with LIMBER_SIM_NONE=1: no outputs at all):
#   - `limber run NAME` renders the session to a file, says where, exits 0, and
#     leaves no history (nobody heard it); with --device TEXT it still fails;
#   - the morning caution line is whole, its closing parenthesis included;
#   - `limber run` with no NAME, in a terminal (script(1) gives it one), asks in
#     the keyboard's words (space, n), not the button's (press, hold), says
#     "no audio output found" once, and the routine chosen goes to a file.
set -u
sim=$1 measure=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
. "$(dirname "$0")/checks.sh"
export LIMBER_SIM_NONE=1 TMPDIR="$out"

st="$out/state"
"$sim" run tests/data/tiny.yaml --state-dir "$st" --timeline "$out/tiny.tsv" </dev/null >"$out/run.out" 2>"$out/run.err"
check '[ $? -eq 0 ]' "no sound device: run exits 0"
check 'grep -q "in a file instead: $out/limber-tiny.wav" "$out/run.out"' "and says where the file is"
check '[ -s "$out/limber-tiny.wav" ] && [ -s "$out/tiny.tsv" ]' "the file and its timeline are written"
"$measure" "$out/limber-tiny.wav" "$out/tiny.tsv" sounds 12 >"$out/measure" && ok "the file is the session, chimes on their samples" ||
	bad "the file does not measure: $(grep FAIL "$out/measure" | head -3)"
check 'grep -q "see a doctor" "$out/tiny.tsv"' "the first session's red flags are in it"
check 'grep -q "A rising chime starts each hold" "$out/tiny.tsv"' "and what the chimes mean"
check '[ "$("$sim" history --tsv --state-dir "$st" | wc -l)" -eq 1 ]' "a render nobody heard is not history"
"$sim" run tests/data/tiny.yaml --device USB --state-dir "$st" </dev/null >/dev/null 2>"$out/dev.err"
check '[ $? -eq 1 ] && grep -q "no audio output matches" "$out/dev.err"' "a device asked for by name that is not there: an error"

# The morning caution, at 6:00 local time (a time zone that puts it there).
cat >"$out/bends.yaml" <<'YAML'
name: Deep bend
area: neck
level: beginner
morning_caution: true
setup: 2s
steps:
  - name: Fold
    say: Fold forward.
    hold: 12s
YAML
h=$(date -u +%H | sed 's/^0//')
TZ="LMB$((h - 6))" "$sim" run "$out/bends.yaml" --no-red-flags --state-dir "$st" </dev/null >/dev/null 2>"$out/morning.err"
line=$(grep "A caution" "$out/morning.err")
check '[ -n "$line" ]' "a routine that bends deeply, at 6:00: the caution is printed"
check 'echo "$line" | grep -q "(daily/morning)$"' "the caution's line ends with the morning routine, in parentheses: $line"

# No NAME, in a terminal: where does it hurt? Space to the first place and to its routine.
(sleep 1; printf ' '; sleep 1; printf ' '; sleep 8) |
	script -qec "'$sim' run --state-dir '$out/guided' --morning-until 00:00" /dev/null | tr -d '\r' >"$out/guided.out"
check 'grep -q "Where does it hurt? The lower back.*Space for yes, N for the next place" "$out/guided.out"' \
	"the guided choice asks in the keyboard's words"
check '! grep -q -i "press for yes\|press to start\|hold for the next" "$out/guided.out"' "and never in the button's"
check '[ "$(grep -c "no audio output found" "$out/guided.out")" -eq 2 ]' \
	"no audio output: said once for the questions, once for the routine"
check 'grep -q "in a file instead: $out/limber-lower-back-beginner.wav" "$out/guided.out"' \
	"the routine chosen goes to a file"

# The same menu as the daemon's (dmenu.c): past the five places, the routines by name, then
# the safety words, in the keyboard's words.
(sleep 1; for k in n n n n n ' ' n; do printf '%s' "$k"; sleep 0.3; done; printf n; sleep 0.3
	for i in $(seq 40); do printf n; done; sleep 1; printf q; sleep 0.5) |
	script -qec "'$sim' run --state-dir '$out/guided2' --morning-until 00:00" /dev/null |
	tr -d '\r' >"$out/byname.out"
check 'grep -q "Or choose a routine by name. Space to hear them" "$out/byname.out"' \
	"after the places: the routines by name"
check 'grep -q "^  lower-back/beginner " "$out/byname.out"' "space: the list is printed, for whoever can see"
check 'grep -q "minutes. Space to start, N for the next routine." "$out/byname.out"' \
	"and each is offered by voice, in the keyboard's words"
check 'grep -q "^Safety. Space to hear when to see a doctor" "$out/byname.out"' \
	"after every routine: the safety words"
check '! grep -q -i "press \|hold for" "$out/byname.out"' "never in the button's words"
echo "firstrun: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
