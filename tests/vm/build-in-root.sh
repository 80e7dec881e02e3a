#!/bin/sh
# build-in-root.sh OUT [--have-deb]: run by tests/vm/run.sh inside a Debian 13
# build root (tests/roots/inroot.sh, the source tree at /src). Builds, for
# the guest:
#   OUT/limber.deb      the Debian package, by scripts/package (nocheck: its
#                       tests run in tests/package/ci.sh); --have-deb: it is
#                       there already (scripts/test hands over ci.sh's)
#   OUT/gpio-sim.ko     gpio-sim and irq_sim from the kernel's own source,
#                       one out-of-tree module (Debian's kernel has neither)
#   OUT/kver            the kernel release that module is for
#   OUT/vm-clicker      the uinput presenter remote (tests/vm/guest/vm-clicker.c)
#   OUT/vm-button       presses the gpio-sim button (tests/vm/guest/vm-button.c)
#   OUT/runtime-pkgs    what the package depends on, for the guest's root
set -eu
out=$1
mkdir -p "$out"

if [ "${2:-}" != --have-deb ]; then
	echo "== limber's Debian package"
	rm -rf /tmp/deb
	(cd /src && DEB_BUILD_OPTIONS=nocheck DEB_BUILD_PROFILES=nocheck sh scripts/package --out /tmp/deb) >"$out/package.log" 2>&1 ||
		{ tail -n 40 "$out/package.log"; exit 1; }
	cp "$(ls /tmp/deb/limber_*.deb | head -n1)" "$out/limber.deb"
fi
# Its dependencies (the first of each alternative), installed in the guest's
# root beforehand, so that apt installs the package there with no download.
dpkg-deb -f "$out/limber.deb" Depends | tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/[[:space:]]//g' |
	sed '/^$/d' | sort -u >"$out/runtime-pkgs"

echo "== vm-clicker, vm-button"
cc -O2 -Wall -Wextra -Werror -o "$out/vm-clicker" /src/tests/vm/guest/vm-clicker.c \
	$(pkg-config --cflags --libs libevdev)
cc -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -o "$out/vm-button" /src/tests/vm/guest/vm-button.c

echo "== gpio-sim module"
kver=$(ls /usr/src | sed -n 's/^linux-headers-\(.*-amd64\)$/\1/p' | head -n1)
[ -n "$kver" ] || { echo "build-in-root: no linux-headers-*-amd64" >&2; exit 1; }
if [ -s "$out/gpio-sim.ko" ] && [ "$(cat "$out/kver" 2>/dev/null)" = "$kver" ]; then
	echo "gpio-sim.ko for $kver: cached"
	exit 0
fi
m=$out/gpio-sim-src
rm -rf "$m"
mkdir -p "$m"
srctar=$(ls /usr/src/linux-source-*.tar.xz | head -n1)
top=$(basename "$srctar" .tar.xz)
tar -C "$m" -xf "$srctar" "$top/drivers/gpio/gpio-sim.c" "$top/kernel/irq/irq_sim.c"
mv "$m/$top/drivers/gpio/gpio-sim.c" "$m/gpio-sim-main.c"
mv "$m/$top/kernel/irq/irq_sim.c" "$m/irq_sim.c"
rm -rf "${m:?}/$top"
# irq_to_desc() is not exported to modules; generic_handle_irq() does the
# same for the simulated interrupt: runs the handler of the mapped IRQ.
sed -i 's/handle_simple_irq(irq_to_desc(\([^)]*\)))/generic_handle_irq(\1)/' "$m/irq_sim.c"
grep -q irq_to_desc "$m/irq_sim.c" && { echo "build-in-root: irq_to_desc still in irq_sim.c" >&2; exit 1; }
cat >"$m/Kbuild" <<'KB'
obj-m := gpio-sim.o
gpio-sim-y := gpio-sim-main.o irq_sim.o
KB
make -s -C "/usr/src/linux-headers-$kver" M="$m" modules
cp "$m/gpio-sim.ko" "$out/gpio-sim.ko"
echo "$kver" >"$out/kver"
