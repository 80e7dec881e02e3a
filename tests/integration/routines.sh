#!/bin/sh
# Every routine in routines/: it checks clean, says nothing that needs eyes,
# renders, its audio measures right (chimes on their samples, holds exact,
# levels), and its real length is within the guide's range for its area, or
# it has a length_note whose "about N minutes" is its real length. And what
# a person with eyes closed needs: the pain limit said once, before step 1;
# every chair, doorway, strap, low step or foam roller a step uses named
# before step 1; every sided step saying which limb does what on each side;
# a morning routine without deep bends (morning_caution false); no hold quiet for
# more than 50 s (cues on).
set -u
limber=$1 measure=$2 out=$3
mkdir -p "$out"
. "$(dirname "$0")/checks.sh"

# Minutes, from the guides: the pain-location guide's prescriptions per area
# ("sciatic about 20" read as 17-23); breathing "a few minutes".
range() {
	case $1 in
	lower-back) echo "15 25" ;; upper-back) echo "15 22" ;; sciatic) echo "17 23" ;;
	hip) echo "18 28" ;; neck) echo "12 16" ;; breathing) echo "3 8" ;;
	*) echo "2 30" ;;
	esac
}

for f in $(find routines -name '*.yaml' | sort); do
	name=${f#routines/}
	name=${name%.yaml}
	area=${name%%/*}
	tag=$(echo "$name" | tr / -)

	"$limber" check "$name" >"$out/$tag.check" 2>"$out/$tag.err" && ok || bad "$name: check: $(cat "$out/$tag.err")"
	sides=$(grep -c '^ *sides:' "$f") each=$(grep -c '^ *each_side:' "$f")
	[ "$sides" -eq "$each" ] && ok || bad "$name: $sides sided steps, $each with each_side (which limb does what)"
	if grep -q '^when: morning' "$f"; then
		grep -q '^  morning_caution: false' "$out/$tag.check" && ok || bad "$name: a morning routine with deep bends"
	fi
	words=$(grep -n -i -E "as shown|shown (here|above|below)|in the (picture|photo|image|video)|pictured|video|click|illustrat|diagram|see (the|above|below)|watch (the|me)" "$f")
	[ -z "$words" ] && ok || bad "$name: refers to something seen: $words"

	area_key=$(awk '/^area:/ {print $2; exit}' "$f")
	if "$limber" render "$name" -o "$out/$tag.wav" --timeline "$out/$tag.tsv" 2>"$out/$tag.err"; then
		ok
	else
		bad "$name: render: $(cat "$out/$tag.err")"
		continue
	fi
	"$measure" "$out/$tag.wav" "$out/$tag.tsv" sounds >"$out/$tag.measure" && ok ||
		bad "$name: audio: $(grep FAIL "$out/$tag.measure" | head -3)"
	# Spoken before the first step / after it.
	awk -F'\t' '$2 == "step" {exit} $2 == "speech" {print $5}' "$out/$tag.tsv" >"$out/$tag.intro"
	awk -F'\t' '$2 == "step" {s = 1} s && $2 == "speech" {print $5}' "$out/$tag.tsv" >"$out/$tag.body"
	if [ "${area_key:-$area}" != breathing ]; then
		n=$(cat "$out/$tag.intro" "$out/$tag.body" | grep -o -i 'six or seven out of ten' | wc -l)
		grep -q -i 'six or seven out of ten.*Never go to eight' "$out/$tag.intro" && [ "$n" -eq 1 ] && ok ||
			bad "$name: the pain limit (six or seven out of ten, never eight) is not said once before step 1 ($n times)"
	fi
	# Inside a hold, with the routine's cues on: nothing quiet for more than 50 s between the
	# starts of what is heard (the start chime, each cue or counted word, the end chime;
	# SESSION_QUIET_MAX_MS).
	if ! grep -q '^cues: off' "$f"; then
		quiet=$(awk -F'\t' '
			$2 == "hold_start" { in_hold = 1; last = $1; worst = 0; next }
			in_hold && ($2 == "speech" || $2 == "breath") {
				if ($1 - last > worst) worst = $1 - last; last = $1 }
			in_hold && $2 == "hold_end" { in_hold = 0
				if ($1 - last > worst) worst = $1 - last
				if (worst > 50.001) printf "step %s: %.1f s quiet\n", $3, worst }' "$out/$tag.tsv")
		[ -z "$quiet" ] && ok || bad "$name: a hold quiet for too long: $(echo "$quiet" | head -3)"
	fi
	for thing in chair doorway strap 'low step' 'foam roller'; do
		if grep -q -i "$thing" "$out/$tag.body" && ! grep -q -i "$thing" "$out/$tag.intro"; then
			bad "$name: a step needs '$thing', not named before step 1 (equipment:)"
		else
			ok
		fi
	done
	secs=$(awk -F'\t' '$2 == "end" {print int($1)}' "$out/$tag.tsv")
	set -- $(range "${area_key:-$area}")
	note=$(sed -n 's/^  length_note: about \([0-9]*\) minutes.*/\1/p' "$out/$tag.check")
	if [ "$secs" -ge $(($1 * 60)) ] && [ "$secs" -le $(($2 * 60)) ]; then
		ok
	elif [ -n "$note" ] && [ $(((secs + 30) / 60 - note)) -ge -1 ] && [ $(((secs + 30) / 60 - note)) -le 1 ]; then
		ok
	else
		bad "$name: $((secs / 60))m$((secs % 60))s is outside $1-$2 minutes for ${area_key:-$area}${note:+, and its length_note says about $note minutes}"
	fi
	printf '%-28s %2dm%02ds\n' "$name" $((secs / 60)) $((secs % 60))
	rm -f "$out/$tag.wav"
done
echo "routines: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
