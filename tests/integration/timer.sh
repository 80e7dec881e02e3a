#!/bin/sh
# A day-plan timer's session (`limber run --timer`, what `ctl timer NAME` starts)
# on the simulated device: played to the end with nobody answering, it is recorded
# as unheard and counts for no streak; with a key on its input (someone is there)
# it is finished; without --timer it is finished, key or not.
set -u
sim=$1 out=$2
rm -rf "$out" && mkdir -p "$out"
. "$(dirname "$0")/checks.sh"
unset LIMBER_SIM_NONE

# $1 name, $2 extra run options, $3 sim device options: the session's `how` in the history.
session() {
	"$sim" run tests/data/tiny.yaml --device "sim:speed=64${3:+,$3}" --no-red-flags \
		--state-dir "$out/$1" $2 </dev/null >"$out/$1.out" 2>"$out/$1.err" ||
		bad "$1: run exited non-zero: $(cat "$out/$1.err")"
	"$sim" history --tsv --state-dir "$out/$1" | awk -F'\t' 'NR > 1 { print $0 }' >"$out/$1.tsv"
}

session alone --timer
check 'grep -q "unheard" "$out/alone.tsv"' "a timer's session nobody answered is unheard: $(cat "$out/alone.tsv")"
check '! grep -q "finished" "$out/alone.tsv"' "and not finished"
check '"$sim" history --state-dir "$out/alone" | grep -q "unheard (a timer.s, nobody answered: not counted)"' \
	"history says so"
check '! "$sim" history --state-dir "$out/alone" | grep -q "[1-9] days* in a row"' \
	"and it makes no streak"

mkfifo "$out/keys"
exec 3<>"$out/keys"
session answered "--timer --input $out/keys" "keys=$out/keys,key=1:space,key=2:space"
exec 3>&-
check 'grep -q "finished" "$out/answered.tsv"' \
	"with a key (a pause and a resume) it is finished: $(cat "$out/answered.tsv")"

session plain ""
check 'grep -q "finished" "$out/plain.tsv"' "without --timer it is finished: $(cat "$out/plain.tsv")"
echo "timer: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
