#!/bin/sh
# One pain limit and one numbness rule wherever a person reads them: the
# terminal (`limber list --about`, and the red flags `limber run` prints
# before a first session: the same text), the man pages and the README. The
# spoken ones (routines, the phrase table) are unit_spoken's.
#   - the limit in the routines' words: "six or seven out of ten" and "Never go
#     to eight", and no second wording ("about 6", "back off at 8");
#   - numbness only ever as a reason to see a doctor.
set -u
limber=$1
. "$(dirname "$0")/checks.sh"
tmp=${TMPDIR:-/tmp}/limber-wording.$$
mkdir -p "$tmp"

"$limber" list --about >"$tmp/terminal" 2>&1 && ok || bad "list --about failed"
# Each as one line of text a sentence at a time (troff requests and Markdown kept: harmless).
for f in "$tmp/terminal" man/limber.1 man/limber.yaml.5 README.md; do
	name=$(basename "$f")
	tr '\n' ' ' <"$f" | sed 's/\\-/-/g; s/\([.!?]\) /\1\n/g' >"$tmp/$name.sentences"
done
for f in "$tmp/terminal" man/limber.1 README.md; do
	name=$(basename "$f")
	grep -q -i 'six or seven out of ten' "$tmp/$name.sentences" && grep -q 'Never go to eight' "$tmp/$name.sentences" &&
		ok || bad "$name: the pain limit is not in the routines' words (six or seven out of ten, never go to eight)"
done
for f in "$tmp/terminal" man/limber.1 man/limber.yaml.5 README.md; do
	name=$(basename "$f")
	other=$(grep -n -i -E 'about (6|six) out of|back off at (8|eight)|\((6|six) or (7|seven) out of 10\)|never (in)?to (8|eight)\b|(6|six) out of 10' "$tmp/$name.sentences")
	[ -z "$other" ] && ok || bad "$name: a second wording of the pain limit: $other"
	numb=$(grep -i -E 'numbness|\bnumb\b' "$tmp/$name.sentences" | grep -v -i 'doctor')
	[ -z "$numb" ] && ok || bad "$name: numbness not as a reason to see a doctor: $numb"
done
rm -rf "$tmp"
echo "wording: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
