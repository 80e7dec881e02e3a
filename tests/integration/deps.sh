#!/bin/sh
# What a new machine needs is written down: every program a stage of
# scripts/test calls (scripts/need's table) comes from a package that
# `scripts/deps --test` installs on this release, or from an essential one.
# So nothing installed by hand on a developer's machine can hide a missing
# step; the bare Debian 13 root of tests/roots/ci.sh proves the rest.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/checks.sh
pkgs=$(sh scripts/deps --list --test) || { echo "deps: scripts/deps --list --test failed"; exit 1; }
# Essential on every Debian: in a bare mmdebstrap root without being asked for
# (mount is not, on Debian 12).
essential="coreutils dpkg"
rows=$(sh scripts/need --list)
[ -n "$rows" ] || { echo "deps: scripts/need --list printed nothing"; exit 1; }
while read -r stage prog alts; do
	found=""
	for p in $(echo "$alts" | tr '|' ' '); do
		if printf '%s\n' $pkgs $essential | grep -qx -- "$p"; then
			found=$p
			break
		fi
	done
	check '[ -n "$found" ]' "$stage: $prog from ${found:-none of $alts}"
done <<ROWS
$rows
ROWS
# And every stage of scripts/test has its row, so a new stage cannot skip the check.
for s in $(sed -n 's/^all="\(.*\)"$/\1/p' scripts/test); do
	check 'sh scripts/need --list | awk -v s="$s" "\$1 == s" | grep -q .' "stage $s is in scripts/need"
done
echo "deps: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
