#!/bin/sh
# tests/package/ci.sh: the Debian package, end to end, in clean Debian 13
# (trixie) amd64 roots, as a person installing it would meet it.
# LIMBER_PACKAGE_RELEASE=bookworm does the same on Debian 12.
#   1. build root: scripts/package builds the .deb against trixie's own
#      libraries; lintian checks it (errors fail the stage).
#   2. a second, fresh root: `apt install ./limber_*.deb` (apt fetches the
#      dependencies), then check-installed.sh: limber runs from the installed
#      files, man pages, conffile, user and groups, units, remove and purge.
# The build runs in the root's own /tmp: a short path, as unit_routine's
# include-loop message (four nested paths) must fit LIMBER_ERR_LEN.
# Needs root (chroot, mounts). Roots are cached by tests/roots/mkroot.sh
# ($LIMBER_ROOTS); each run unpacks fresh copies and removes them.
set -eu
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "tests/package/ci.sh: needs root (chroot)" >&2; exit 1; }
release=${LIMBER_PACKAGE_RELEASE:-trixie}
out=build/package-ci/$release
work=build/package-ci/roots
mkdir -p "$work"
rm -rf "$out"
start=$(date +%s)

# What debian/control's Build-Depends name, for trixie, plus lintian: in the
# cached root, so a run downloads nothing to build. scripts/package installs
# anything missing from this list itself.
builddeps="build-essential debhelper cmake pkgconf libespeak-ng-dev libsndfile1-dev
libsamplerate0-dev libfyaml-dev portaudio19-dev libasound2-dev libjack-jackd2-dev libgpiod-dev
libevdev-dev libsqlite3-dev libsystemd-dev libcmocka-dev espeak-ng-data lintian"
# systemd.pc (the unit directory): systemd-dev from Debian 13 on, systemd before.
case $release in
bookworm) builddeps="$builddeps systemd" ;;
*) builddeps="$builddeps systemd-dev" ;;
esac
# shellcheck disable=SC2086
buildroot=$(sh tests/roots/mkroot.sh "$release" amd64 $builddeps)
plainroot=$(sh tests/roots/mkroot.sh "$release" amd64)

echo "== package: build in a clean $release root"
sh tests/roots/inroot.sh "$buildroot" "$work/build.$$" \
	"cd /src && sh scripts/package --out /tmp/deb >/src/$out.log 2>&1 ||
	 { tail -n 40 /src/$out.log; exit 1; }
	 mkdir -p /src/$out && cp /tmp/deb/*.deb /tmp/deb/*.buildinfo /tmp/deb/*.changes /src/$out/ &&
	 cd /src/$out && { lintian --fail-on error --display-info --pedantic limber_*.changes \
		>lintian.txt 2>&1; rc=\$?; }; grep -v 'running with root privileges' lintian.txt;
	 exit \$rc"
built=$(date +%s)
echo "package: built and linted in $((built - start)) s; lintian:" \
	"$(grep -c '^[EWIPX]: ' "$out/lintian.txt") tags (--pedantic --display-info)"

echo "== package: install in a fresh $release root, then remove and purge"
sh tests/roots/inroot.sh "$plainroot" "$work/install.$$" \
	"sh /src/tests/package/check-installed.sh /src/$out"
done=$(date +%s)
echo "package: installed and checked in $((done - built)) s; the stage took $((done - start)) s"
