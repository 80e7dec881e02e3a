#!/bin/sh
# inroot.sh TARBALL DIR COMMAND...: unpack a root made by mkroot.sh into DIR
# (which must not exist), bind this source tree at /src, run COMMAND there as
# root under sh -c, and remove DIR again. Exits with COMMAND's status.
#
# /proc, /sys, /dev and /src are mounted inside DIR; they are always
# unmounted before DIR is removed, because `rm -rf` through a bound /dev
# deletes the host's devices. Set LIMBER_KEEP_ROOT=1 to keep DIR.
set -eu
[ $# -ge 3 ] || { echo "usage: inroot.sh TARBALL DIR COMMAND..." >&2; exit 2; }
tar=$1 dir=$2
shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
[ ! -e "$dir" ] || { echo "inroot.sh: $dir exists; remove it first" >&2; exit 1; }

mounted=""
cleanup() {
	for m in $mounted; do
		umount -l "$dir/$m" 2>/dev/null || true
	done
	if [ "${LIMBER_KEEP_ROOT:-0}" != 1 ]; then
		# Never remove while anything is still mounted below DIR.
		if grep -q " $(realpath "$dir")/" /proc/mounts; then
			echo "inroot.sh: $dir still has mounts; not removing it" >&2
		else
			rm -rf "$dir"
		fi
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$dir"
tar -C "$dir" -xf "$tar"
cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
# And the host's TLS trust, for npm (axe-core, for the web tests): Node trusts
# its own bundle, which a network behind a TLS-inspecting proxy fails.
ca=""
if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
	mkdir -p "$dir/etc/ssl/certs"
	cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/host-ca-certificates.crt"
	ca=/etc/ssl/certs/host-ca-certificates.crt
fi
mkdir -p "$dir/src"
for m in proc sys dev src; do
	case $m in
	proc) mount -t proc proc "$dir/proc" ;;
	sys) mount -t sysfs sysfs "$dir/sys" ;;
	dev) mount --rbind /dev "$dir/dev"; mount --make-rslave "$dir/dev" ;;
	src) mount --bind "$src" "$dir/src" ;;
	esac
	mounted="$m $mounted"
done
status=0
chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
	CI="${CI:-}" ${ca:+NODE_EXTRA_CA_CERTS=$ca} /bin/sh -c "$*" || status=$?
exit $status
