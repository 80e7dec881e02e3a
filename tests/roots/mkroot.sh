#!/bin/sh
# mkroot.sh RELEASE ARCH [PACKAGE...]: print the path of a Debian root
# filesystem tarball for RELEASE (bookworm, trixie) and ARCH (amd64, arm64,
# armhf) with PACKAGEs added, building it with mmdebstrap if it is not cached.
#
# The tarball, not a directory, is what is cached: every user unpacks its own
# fresh copy (tests/roots/inroot.sh), so a test never sees what another left.
# Cache: $LIMBER_ROOTS, default build/roots under the source tree. The mirror
# is the one this system's apt already uses; none is written here.
set -eu
[ $# -ge 2 ] || { echo "usage: mkroot.sh RELEASE ARCH [PACKAGE...]" >&2; exit 2; }
release=$1 arch=$2
shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LIMBER_ROOTS:-$src/build/roots}
mkdir -p "$cache"

pkgs=$(printf '%s\n' "$@" | sort -u | tr '\n' ',' | sed 's/,$//')
key=$(printf '%s %s %s' "$release" "$arch" "$pkgs" | sha256sum | cut -c1-12)
tar="$cache/$release-$arch-$key.tar"
# A foreign architecture runs under qemu-user through binfmt_misc: enabled
# here, before the cache is looked at, since a cached root is of no use
# without it (after a reboot, say).
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
	[ -e /proc/sys/fs/binfmt_misc/register ] ||
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
	update-binfmts --enable >/dev/null 2>&1 || true
fi

if [ -s "$tar" ]; then
	echo "$tar"
	exit 0
fi

# The first Debian archive in this system's apt sources (deb822 or one-line).
mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
	tr ' ' '\n' | grep -v -e security -e '^$' | head -n1)
if [ -z "$mirror" ]; then
	mirror=$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		grep -v security | head -n1)
fi
[ -n "$mirror" ] || { echo "mkroot.sh: no Debian mirror in this system's apt sources" >&2; exit 1; }
mirror=${mirror%/}

echo "mkroot.sh: building $release $arch root ($pkgs) from the system's mirror" >&2
mmdebstrap --quiet --variant=apt --format=tar --architectures="$arch" \
	${pkgs:+--include="$pkgs"} \
	--aptopt='Acquire::Retries "3"' \
	"$release" "$tar.part.$$" \
	"deb $mirror $release main" "deb $mirror $release-updates main" >&2
mv "$tar.part.$$" "$tar"
echo "$tar"
