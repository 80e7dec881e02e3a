#!/bin/sh
# ci.sh PART...: limber on other Debian releases and architectures, in roots
# made by mkroot.sh and entered with inroot.sh. Each part runs alone:
#
#   amd64    Debian 13 amd64, a bare root and a copy of the tree with no build:
#            the README's two commands in order, `scripts/try` (it renders:
#            no sound device) then `scripts/test unit lint`, so every program
#            comes from scripts/deps; the unit stage without the live tests
#            (-LE live: the host's unit stage grades real-time audio; the
#            simulated device's tests run), Debian 13's cppcheck and
#            clang-tidy, and a render.
#   arm64    Debian 13 arm64 under qemu-user: the build (limber and the unit
#            tests only), the unit tests, the same render.
#   compare  the two renders agree: the same events in the same order, every
#            interval the same, the same WAV (run amd64 and arm64 first).
#   armhf    Debian 13 armhf under qemu-user: the build and the unit tests.
#            Not in `all`: with it the whole took 26 minutes on the loaded
#            2-core development machine, over CI's budget of 20 (measured
#            figures in docs/PERFORMANCE.md); run it alone.
#   all      amd64, arm64 and compare.
#
# LIMBER_CI_RELEASE (default trixie) picks the release. Roots are cached as
# tarballs in $LIMBER_ROOTS (mkroot.sh's default: build/roots), so only a
# first run builds them. Build dirs are build-RELEASE-ARCH/ in the source tree,
# apart from the host's build/. Each part prints its time.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
release=${LIMBER_CI_RELEASE:-trixie}
jobs=$(nproc)
# The routine both architectures render and compare: speech, holds, breaths, sides.
routine=${LIMBER_CI_ROUTINE:-lower-back/beginner}
work=${TMPDIR:-/tmp}/limber-ci.$$
mkdir -p "$work"
trap 'rmdir "$work" 2>/dev/null || true' EXIT

# What an emulated root needs to build and run the unit tests: the build
# packages of scripts/deps (the same list on every release) and cmocka.
emulated_pkgs() {
	sh "$src/scripts/deps" --list
	echo libcmocka-dev
}

# The command that configures DIR inside a root (at /src). Under emulation
# without -g: the same code, and debug info is a third of the compile time.
configure() {
	echo "cmake -S /src -B /src/$1 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_C_FLAGS_RELWITHDEBINFO='-O2 -DNDEBUG' >/dev/null"
}
render() { # BUILD [OUT]: the build's limber renders the routine into OUT (default BUILD)
	echo "LIMBER_DATA_DIR=/src $1/limber render $routine -o ${2:-$1}/ci-render.wav \
--timeline ${2:-$1}/ci-render.tsv"
}

part_amd64() {
	b=build-$release-amd64
	tar=$(sh "$here/mkroot.sh" "$release" amd64) || return 1
	mkdir -p "$src/$b"
	# A fresh clone on a new machine: a copy of the tree without any build
	# directory, in a root with nothing installed. The README's two commands in
	# order, as written: scripts/try (its deps, its build without tests; with no
	# sound device here it renders), then scripts/test's build-and-unit stage,
	# which must not inherit try's configuration, and the static checks. Every
	# program comes from scripts/deps; scripts/need fails a stage that lacks one.
	sh "$here/inroot.sh" "$tar" "$work/amd64" "set -e
		mkdir /tmp/try && tar -C /src --exclude='./build*' -cf - . | tar -C /tmp/try -xf -
		cd /tmp/try && rm -f /tmp/limber-lower-back-beginner.wav
		sh scripts/try lower-back/beginner </dev/null
		test -s /tmp/limber-lower-back-beginner.wav
		LIMBER_CTEST_ARGS='-LE live' sh scripts/test unit lint </dev/null
		$(render /tmp/try/build-test "/src/$b")"
}

# Build limber and the unit tests only, run those, render: under emulation
# everything costs ten times as much.
part_emulated() {
	arch=$1
	b=build-$release-$arch
	# shellcheck disable=SC2046
	tar=$(sh "$here/mkroot.sh" "$release" "$arch" $(emulated_pkgs)) || return 1
	sh "$here/inroot.sh" "$tar" "$work/$arch" "set -e; cd /src
		$(configure "$b")
		units=\$(cd $b && ctest -N -R '^unit_' | sed -n 's/^ *Test *#[0-9]*: unit_//p')
		cmake --build $b -j$jobs --target limber \$(for t in \$units; do echo test_\$t; done)
		(cd $b && ctest --no-tests=error -R '^unit_' -j$jobs --output-on-failure)
		$(render "/src/$b")"
}

part_arm64() { part_emulated arm64; }
part_armhf() { part_emulated armhf; }

# The same routine rendered on amd64 and arm64 must be the same session:
# every event in the same order (kind, step, side, text), every interval the
# same to the microsecond (a sample is 45 us at the render's 22050 Hz), and
# the sound itself the same, byte for byte. (Utterances once differed by a few
# samples: eSpeak NG 1.52's noise was seeded from the clock, see speech.c.)
part_compare() {
	a=$src/build-$release-amd64/ci-render.tsv
	b=$src/build-$release-arm64/ci-render.tsv
	for f in "$a" "$b"; do
		[ -s "$f" ] || { echo "ci.sh compare: no $f (run the amd64 and arm64 parts first)" >&2; return 1; }
	done
	awk -F '\t' '
	NR == FNR { t[FNR] = $1; ev[FNR] = $2 FS $3 FS $4 FS $5; n = FNR; next }
	FNR == 1 { m = 1; next }
	{
		m = FNR
		if (!(FNR in ev) || ev[FNR] != $2 FS $3 FS $4 FS $5) {
			printf "row %d differs:\n  amd64: %s\n  arm64: %s\n", FNR, ev[FNR], $2 FS $3 FS $4 FS $5
			bad = 1; exit
		}
		if (FNR > 2) {
			d = (t[FNR] - t[FNR - 1]) - ($1 - prev); if (d < 0) d = -d
			if (d > 1.5e-6) {
				printf "row %d (%s after %s): interval differs by %.6f s\n", FNR, $2, prevkind, d
				bad = 1
			}
		}
		if ($2 == "hold_start") holds++
		prev = $1; prevkind = $2
	}
	END {
		if (!bad && m != n) { printf "amd64 has %d rows, arm64 %d\n", n, m; bad = 1 }
		if (bad) exit 1
		printf "compare: %d events in the same order, %d holds; every interval the same to the microsecond\n", m - 1, holds
	}' "$a" "$b" || return 1
	cmp "${a%.tsv}.wav" "${b%.tsv}.wav" || { echo "ci.sh compare: the two renders sound different"; return 1; }
	echo "compare: the two renders are the same WAV, $(wc -c <"${a%.tsv}.wav") bytes"
}

timed() {
	t0=$(date +%s)
	echo "== ci.sh $1 ($release)"
	"part_$1" || { echo "ci.sh $1: FAILED after $(($(date +%s) - t0)) s" >&2; return 1; }
	echo "== ci.sh $1: passed in $(($(date +%s) - t0)) s"
}

[ $# -gt 0 ] || { sed -n '2,25s/^# \{0,1\}//p' "$0" >&2; exit 2; }
for p in "$@"; do
	case $p in
	amd64) timed amd64 ;;
	arm64) timed arm64 ;;
	armhf) timed armhf ;;
	compare) timed compare ;;
	all) timed amd64; timed arm64; timed compare ;;
	*) echo "ci.sh: unknown part $p (amd64, arm64, armhf, compare, all)" >&2; exit 2 ;;
	esac
done
