#!/bin/sh
# mkimage.sh ROOT_TAR B KVER: the rig's disk, B/disk.raw (ext4, made with
# mkfs.ext4 -d from a directory: no loop device, no mount), and the kernel
# and initrd to boot it with, B/vmlinuz and B/initrd.img. Called by run.sh.
#
# limber goes in as its Debian package, installed with apt.
set -eu
tar=$1 B=$2 kver=$3
src=$(cd "$(dirname "$0")/../.." && pwd)
img=$B/image
out=$B/out
# The root, and limber's package installed in it with apt, as a person
# would (`apt install ./limber_*.deb`): its maintainer scripts make the
# user and groups and enable the unit. inroot.sh undoes its mounts before it
# returns; nothing is mounted below $img after that, so removing it is safe.
rm -rf "$img"
LIMBER_KEEP_ROOT=1 sh "$src/tests/roots/inroot.sh" "$tar" "$img" \
	'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /src/build/vm/out/limber.deb ||
	 { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /src/build/vm/out/limber.deb; }' \
	>"$B/install.log" 2>&1 || { cat "$B/install.log" >&2; exit 1; }
grep -q " $(realpath "$img")/" /proc/mounts && { echo "mkimage: $img still has mounts" >&2; exit 1; }
[ -e "$img/boot/vmlinuz-$kver" ] || {
	echo "mkimage: the root has no kernel $kver (the headers and the image differ:" \
		"$(ls "$img/boot")); remove the cached roots and run again" >&2
	exit 1
}
[ -L "$img/etc/systemd/system/multi-user.target.wants/limber.service" ] ||
	{ echo "mkimage: the package did not enable limber.service" >&2; exit 1; }
grep -q '^limber:' "$img/etc/passwd" ||
	{ echo "mkimage: the package made no user limber" >&2; exit 1; }
# The rig's own config over the package's conffile, as its owner edits it.
mkdir -p "$img/etc/limber/routines"
cp "$src/tests/vm/guest/config.yaml" "$img/etc/limber/config.yaml"
cp "$src/tests/data/live.yaml" "$src/tests/data/tiny.yaml" "$img/etc/limber/routines/"
cp "$src/tests/vm/guest/asound.conf" "$img/etc/asound.conf"

# The rig: gpio-sim, the helpers, the runner.
mkdir -p "$img/lib/modules/$kver/extra"
cp "$out/gpio-sim.ko" "$img/lib/modules/$kver/extra/"
depmod -b "$img" "$kver"
install -m 755 "$out/vm-clicker" "$out/vm-button" "$src/tests/vm/guest/vm-press" "$src/tests/vm/guest/vm-key" \
	"$src/tests/vm/guest/vm-plug-clicker" "$src/tests/vm/guest/vm-unplug-clicker" \
	"$src/tests/vm/guest/vm-record" "$src/tests/vm/guest/vm-power-cut" "$img/usr/local/bin/"
install -m 755 "$src/tests/vm/guest/vm-rig" "$src/tests/vm/guest/vm-gpio-sim" "$img/usr/local/sbin/"
install -D -m 644 "$src/tests/vm/guest/lib.sh" "$img/usr/local/lib/vm-rig/lib.sh"
cp "$src/tests/vm/guest/vm-rig.service" "$src/tests/vm/guest/vm-gpio-sim.service" "$img/etc/systemd/system/"
chroot "$img" systemctl enable vm-rig.service vm-gpio-sim.service >/dev/null 2>&1
# snd-aloop is the only card; uinput for the clicker; 9p for the shared folder.
printf 'snd-aloop\nuinput\n9pnet_virtio\n9p\n' >"$img/etc/modules-load.d/vm-rig.conf"
echo 'options snd-aloop index=0 enable=1 pcm_substreams=2' >"$img/etc/modprobe.d/vm-rig.conf"

# A machine: its disk, a name, root on the console with no password.
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$img/etc/fstab"
echo limber-vm >"$img/etc/hostname"
# What an installed Debian or Raspberry Pi OS has and mmdebstrap leaves
# out: without it "localhost" does not resolve (the MQTT broker's name).
[ -s "$img/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n127.0.1.1\tlimber-vm\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$img/etc/hosts"
sed -i 's/^root:[^:]*:/root::/' "$img/etc/shadow"
rm -f "$img/etc/machine-id"
: >"$img/etc/machine-id"
# A user outside the limber group, for the boot scenario's socket check.
chroot "$img" useradd -m -s /bin/sh outsider 2>/dev/null ||
	echo 'outsider:x:1500:1500::/home/outsider:/bin/sh' >>"$img/etc/passwd"

cp "$img/boot/vmlinuz-$kver" "$B/vmlinuz"
cp "$img/boot/initrd.img-$kver" "$B/initrd.img"
rm -f "$B/disk.raw"
truncate -s 3G "$B/disk.raw"
mkfs.ext4 -q -F -L limber-vm -d "$img" "$B/disk.raw"
rm -rf "$img"
