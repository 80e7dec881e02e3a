#!/bin/sh
# Every prescription the guides make explicit is what the routine plays:
# tests/data/prescriptions.tsv (written from the guides, one row a step,
# with the guide's words) against `limber check`'s plan of each routine.
# The hold, the sides, the reps, and the step's place where the guide's
# order matters. And no step of a pain-location or daily routine without a
# row: a step the guide does not have is made up.
set -u
limber=$1 table=$2 out=$3
rm -rf "$out" && mkdir -p "$out"   # a check from an earlier run must not stand in for this one
. "$(dirname "$0")/checks.sh"
tab=$(printf '\t')

secs() { # m:ss or h:mm:ss -> seconds
	echo "$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'
}

# One line of check output for a step: "number<TAB>sides<TAB>hold_s<TAB>reps".
step_of() {
	awk -v want="$2" '
	/^ +[0-9:]+ +[0-9]+  / {
		line = $0
		sub(/^ +[0-9:]+ +/, "", line)
		num = line; sub(/ .*/, "", num)
		sub(/^[0-9]+  /, "", line)
		if (substr(line, 1, length(want)) != want || substr(line, length(want) + 1, 1) != " ")
			next
		a = substr(line, length(want) + 1); sub(/^ +/, "", a)
		sides = 0
		if (a ~ /^(right, left|left, right): /) sides = 2
		else if (a ~ /^(right|left): /) sides = 1
		sub(/^[a-z, ]*: /, "", a)
		if (match(a, /^flow [0-9]+ x \([^)]*\)/)) {
			f = substr(a, 1, RLENGTH); reps = f; sub(/^flow /, "", reps); sub(/ .*/, "", reps)
			sub(/^[^(]*\(/, "", f); sub(/\)$/, "", f)
			n = split(f, ph, ", "); hold = 0
			for (i = 1; i <= n; i++) { sub(/s.*/, "", ph[i]); hold += ph[i] }
			printf "%s\t%d\t%g\t%s\n", num, sides, hold, reps
		} else if (match(a, /^[0-9]+ reps: hold [0-9:]+/)) {
			f = substr(a, 1, RLENGTH); reps = f; sub(/ .*/, "", reps); sub(/.* /, "", f)
			printf "%s\t%d\t%s\t%s\n", num, sides, f, reps
		} else if (match(a, /^hold [0-9:]+/)) {
			f = substr(a, 6, RLENGTH - 5)
			printf "%s\t%d\t%s\t1\n", num, sides, f
		}
		exit
	}' "$1"
}

grep -v '^#' "$table" | tail -n +2 >"$out/rows"
while IFS="$tab" read -r routine step hold sides reps position evidence; do
	tag=$(echo "$routine" | tr / -)
	[ -f "$out/$tag.check" ] || "$limber" check "$routine" >"$out/$tag.check" 2>&1 ||
		{ bad "$routine: check: $(cat "$out/$tag.check")"; continue; }
	got=$(step_of "$out/$tag.check" "$step")
	if [ -z "$got" ]; then
		bad "$routine: no step '$step' (the guide: $evidence)"
		continue
	fi
	gnum=$(echo "$got" | cut -f1) gsides=$(echo "$got" | cut -f2) ghold=$(echo "$got" | cut -f3)
	greps=$(echo "$got" | cut -f4)
	case $ghold in *:*) ghold=$(secs "$ghold") ;; esac
	what=""
	[ "$ghold" = "$hold" ] || what="$what hold ${ghold}s, not ${hold}s;"
	[ "$gsides" = "$sides" ] || what="$what $gsides sides, not $sides;"
	[ "$greps" = "$reps" ] || what="$what $greps reps, not $reps;"
	[ "$position" = - ] || [ "$gnum" = "$position" ] || what="$what step $gnum, not step $position;"
	if [ -z "$what" ]; then
		ok
	else
		bad "$routine: $step:$what the guide: $evidence"
	fi
done <"$out/rows"

# Completeness: every step of the pain-location and daily routines has its row.
for routine in $(cut -f1 "$out/rows" | sort -u); do
	case $routine in lower-back/* | upper-back/* | sciatic/* | hip/* | neck/* | daily/*) ;; *) continue ;; esac
	tag=$(echo "$routine" | tr / -)
	for name in $(awk '/^ +[0-9:]+ +[0-9]+  / { l = $0; sub(/^ +[0-9:]+ +[0-9]+  /, "", l);
		sub(/ +(right|left|flow|hold|[0-9]+ reps).*/, "", l); gsub(/ /, "_", l); print l }' "$out/$tag.check"); do
		name=$(echo "$name" | tr _ ' ')
		if awk -F'\t' -v r="$routine" -v s="$name" '$1 == r && $2 == s {f = 1} END {exit !f}' "$out/rows"; then
			ok
		else
			bad "$routine: step '$name' is in no row of the table: which guide line is it from?"
		fi
	done
done
echo "prescriptions: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
