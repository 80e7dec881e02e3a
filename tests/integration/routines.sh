#!/bin/sh
# Every routine in routines/: it checks clean, says nothing that needs eyes,
# renders, its audio measures right (chimes on their samples, holds exact,
# levels), and its real length is within the guide's range for its area.
set -u
limber=$1 measure=$2 out=$3
mkdir -p "$out"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

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

	"$limber" check "$name" >/dev/null 2>"$out/$tag.err" && ok || bad "$name: check: $(cat "$out/$tag.err")"
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
	secs=$(awk -F'\t' '$2 == "end" {print int($1)}' "$out/$tag.tsv")
	set -- $(range "${area_key:-$area}")
	if [ "$secs" -ge $(($1 * 60)) ] && [ "$secs" -le $(($2 * 60)) ]; then
		ok
	else
		bad "$name: $((secs / 60))m$((secs % 60))s is outside $1-$2 minutes for ${area_key:-$area}"
	fi
	printf '%-28s %2dm%02ds\n' "$name" $((secs / 60)) $((secs % 60))
	rm -f "$out/$tag.wav"
done
echo "routines: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
