#!/bin/sh
# build-in-root.sh OUT: run by tests/vm/run.sh inside a Debian 13 build root
# (tests/roots/inroot.sh, the source tree at /src). Builds, for the guest:
#   OUT/dest/           limber installed with DESTDIR (prefix /usr)
#   OUT/gpio-sim.ko     gpio-sim and irq_sim from the kernel's own source,
#                       one out-of-tree module (Debian's kernel has neither)
#   OUT/kver            the kernel release that module is for
#   OUT/vm-clicker      the uinput presenter remote (tests/vm/guest/vm-clicker.c)
#   OUT/vm-button       presses the gpio-sim button (tests/vm/guest/vm-button.c)
#   OUT/runtime-pkgs    the Debian packages limber's libraries come from
# The CMake build directory stays in OUT, so a second run is incremental.
set -eu
out=$1
mkdir -p "$out"

echo "== limber, for Debian 13"
cmake -S /src -B "$out/limber-build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_INSTALL_PREFIX=/usr -DLIMBER_TESTS=OFF >/dev/null
cmake --build "$out/limber-build" -j"$(nproc)" --target limber
rm -rf "$out/dest"
DESTDIR="$out/dest" cmake --install "$out/limber-build" >/dev/null

echo "== vm-clicker, vm-button"
cc -O2 -Wall -Wextra -Werror -o "$out/vm-clicker" /src/tests/vm/guest/vm-clicker.c \
	$(pkg-config --cflags --libs libevdev)
cc -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -o "$out/vm-button" /src/tests/vm/guest/vm-button.c

# The packages the binaries' own libraries are in; apt brings what those need.
for b in "$out/dest/usr/bin/limber" "$out/vm-clicker"; do
	objdump -p "$b" | awk '$1 == "NEEDED" {print $2}'
done | sort -u | while read -r lib; do
	path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}')
	dpkg -S "$(realpath "$path")" 2>/dev/null || dpkg -S "$path"
done | cut -d: -f1 | sort -u >"$out/runtime-pkgs"

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
