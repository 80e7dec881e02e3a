#!/bin/sh
# tests/vm/run.sh: limber as an appliance, for real. Boots Debian 13 under
# qemu (TCG) with systemd as PID 1, limber installed as the package would
# install it, snd-aloop as the only sound card, a simulated GPIO button
# (gpio-sim) and a uinput presenter remote, and runs scenarios inside it.
#
#   tests/vm/run.sh                    the CI set (tests/vm/scenarios/ci)
#   tests/vm/run.sh --all              every scenario
#   tests/vm/run.sh --scenario FILE    one; exits with its status
#   tests/vm/run.sh --shell            boot and log in on the console
#
# A scenario is a shell script run as root in the booted guest (sh -eu);
# the helpers vm-press, vm-key, vm-plug-clicker, vm-unplug-clicker,
# vm-record and vm-power-cut are on its PATH. After vm-power-cut the machine
# boots again and FILE.after runs. Files it leaves in $VM_SHARE come back
# in build/vm/results/NAME/ with its output, the console and the journals.
# An executable NAME.during runs on the host while the guest runs, with the
# guest's port 8080 forwarded to a free 127.0.0.1 port (QEMU's user network,
# restricted: the guest reaches nothing outside); an executable NAME.host
# runs on the host after it.
# Everything slow is cached under build/vm/ (roots, the build, the disk).
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
cd "$src"
B=$src/build/vm
mkdir -p "$B"
export LIMBER_ROOTS=${LIMBER_ROOTS:-$B/roots}
log() { echo "vm: $*" >&2; }

mode=ci scenarios=""
case ${1:-} in
"") scenarios=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' tests/vm/scenarios/ci) ;;
--all) scenarios=$(ls tests/vm/scenarios/*.sh | xargs -n1 basename | sed 's/\.sh$//') ;;
--scenario) [ $# -eq 2 ] || { echo "usage: run.sh --scenario FILE" >&2; exit 2; }
	mode=one scenarios=$2 ;;
--shell) mode=shell ;;
*) echo "usage: run.sh [--all | --scenario FILE | --shell]" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "vm: run as root (roots are unpacked and chrooted into)" >&2; exit 1; }
missing=""
for t in qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils mkfs.ext4:e2fsprogs \
	mmdebstrap:mmdebstrap sox:sox pkg-config:pkg-config ss:iproute2 curl:curl; do
	command -v "${t%%:*}" >/dev/null || missing="$missing ${t#*:}"
done
if [ -n "$missing" ]; then
	log "installing:$missing"
	apt-get update -q >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=900 \
		--no-install-recommends $missing >&2
fi

# 1. Build limber's package, the gpio-sim module and the helpers in a Debian 13 root.
#    VM_DEB=FILE: that package instead (scripts/test hands over tests/package/ci.sh's).
t0=$(date +%s)
build_root=$(sh tests/roots/mkroot.sh trixie amd64 build-essential cmake pkg-config \
	libespeak-ng-dev espeak-ng-data libsndfile1-dev libsamplerate0-dev libfyaml-dev \
	portaudio19-dev libasound2-dev libjack-jackd2-dev libgpiod-dev libevdev-dev \
	libsqlite3-dev libsystemd-dev linux-source-6.12 linux-headers-amd64 xz-utils \
	debhelper systemd-dev)
have=""
mkdir -p "$B/out"
if [ -n "${VM_DEB:-}" ]; then
	cp "$VM_DEB" "$B/out/limber.deb"
	have=--have-deb
fi
rm -rf "$B/broot"
sh tests/roots/inroot.sh "$build_root" "$B/broot" "sh /src/tests/vm/build-in-root.sh /src/build/vm/out $have" \
	>"$B/build.log" 2>&1 || { cat "$B/build.log" >&2; log "the build in the Debian 13 root failed"; exit 1; }
kver=$(cat "$B/out/kver")
log "built in the Debian 13 root ($(($(date +%s) - t0)) s): $(dpkg-deb -f "$B/out/limber.deb" Package Version | tr '\n' ' ')${have:+(VM_DEB) }kernel $kver"

# 2. The guest's root: a bootable Debian 13 with the runtime packages, the
#    package's Recommends (Chart.js for the page, as apt would bring it), and
#    an MQTT broker on localhost for the daemon to join (mqtt-watchdog.sh).
image_root=$(sh tests/roots/mkroot.sh trixie amd64 systemd-sysv linux-image-amd64 udev kmod \
	sox alsa-utils gpiod sqlite3 mosquitto mosquitto-clients libjs-chart.js $(cat "$B/out/runtime-pkgs"))

# 3. The disk, made again only when something that goes in it changed.
key=$( (echo "$image_root"; find "$B/out/limber.deb" "$B/out/gpio-sim.ko" "$B/out/vm-clicker" "$B/out/vm-button" \
	tests/vm/guest tests/data -type f -print0 | sort -z | xargs -0 sha256sum) |
	sha256sum | cut -c1-16)
if [ "$(cat "$B/disk.key" 2>/dev/null)" != "$key" ] || [ ! -s "$B/disk.raw" ]; then
	t0=$(date +%s)
	sh tests/vm/mkimage.sh "$image_root" "$B" "$kver"
	echo "$key" >"$B/disk.key"
	log "disk image made ($(($(date +%s) - t0)) s)"
fi

# 4. Boot it once per scenario, on a throwaway overlay of the disk.
boot() { # boot NAME SHAREDIR TIMEOUT_S [console]
	name=$1 share=$2 limit=$3
	qemu-img create -q -f qcow2 -b "$B/disk.raw" -F raw "$B/run-$name.qcow2"
	# Wall-clock TCG on two threads. (-icount, a clock counted in guest
	# instructions, would pace the card and the player together whatever the
	# host does, but measured here it took 135 s to reach systemd, which
	# then timed out: VM_ICOUNT=on to try it again.)
	if [ "${VM_ICOUNT:-off}" = on ]; then
		accel="-accel tcg -icount shift=auto,sleep=on"
	else
		accel="-accel tcg,thread=multi"
	fi
	# shellcheck disable=SC2086
	set -- qemu-system-x86_64 -machine q35 $accel -cpu max -smp 2 -m 1536 \
		-nographic -no-user-config -nodefaults -serial mon:stdio -nic "${VM_NIC:-none}" \
		-kernel "$B/vmlinuz" -initrd "$B/initrd.img" \
		-append "root=/dev/vda rw console=ttyS0 quiet loglevel=4 systemd.show_status=error panic=1" \
		-drive "file=$B/run-$name.qcow2,if=virtio,format=qcow2,cache=writeback" \
		-virtfs "local,path=$share,mount_tag=vmshare,security_model=none" \
		-device virtio-rng-pci
	if [ "${4:-}" = console ]; then
		"$@"
	else
		timeout "$limit" "$@" </dev/null >"$share/../console.log" 2>&1 || true
	fi
	rm -f "$B/run-$name.qcow2"
}

if [ $mode = shell ]; then
	mkdir -p "$B/results/shell/share"
	echo 'echo "vm: the scenario is a shell: log in as root (no password) on the console"; sleep infinity' \
		>"$B/results/shell/share/scenario"
	boot shell "$B/results/shell/share" 0 console
	exit 0
fi

pass=0 fail=0 failed=""
for s in $scenarios; do
	file=$s
	[ -f "$file" ] || file=tests/vm/scenarios/$s.sh
	[ -f "$file" ] || { echo "vm: no scenario $s" >&2; exit 2; }
	name=$(basename "$file" .sh)
	res=$B/results/$name
	rm -rf "$res"
	mkdir -p "$res/share"
	cp "$file" "$res/share/scenario"
	[ ! -f "${file%.sh}.after" ] || cp "${file%.sh}.after" "$res/share/scenario.after"
	# The routines' timelines and the sounds, for the host-side measurements.
	t0=$(date +%s)
	VM_NIC="" during=""
	if [ -x "${file%.sh}.during" ]; then
		port=18580
		while ss -Htln "sport = :$port" | grep -q .; do port=$((port + 1)); done
		VM_NIC="user,model=virtio-net-pci,restrict=on,hostfwd=tcp:127.0.0.1:$port-:8080"
		"${file%.sh}.during" "$res" "$port" >"$res/during.txt" 2>&1 &
		during=$!
	fi
	boot "$name" "$res/share" "${VM_TIMEOUT:-900}"
	took=$(($(date +%s) - t0))
	# Multi-threaded TCG has been seen to oops in early boot, 1 boot in some dozens
	# (an int3 the kernel's own text patching left, in sched_clock_cpu): QEMU's
	# fault. With panic=1 the guest starts again at once and runs the scenario
	# then; vm-rig fails a scenario that a restart cut short. Said, not hidden:
	! grep -q "Kernel panic" "$res/console.log" 2>/dev/null ||
		echo "  the guest kernel panicked and the machine restarted: $(grep -m1 -o 'Oops: [^[]*' \
			"$res/console.log" || echo 'see its console'); $res/console.log"
	during_status=0
	if [ -n "$during" ]; then
		# Done with the guest, or given up on with it.
		n=50
		while kill -0 "$during" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
		kill "$during" 2>/dev/null || true
		wait "$during" || during_status=$?
		sed 's/^/  host: /' "$res/during.txt"
	fi
	sed 's/^/  /' "$res/share/out.txt" 2>/dev/null || true
	status=$(cat "$res/share/status" 2>/dev/null || echo "none (the guest did not finish; see $res/console.log)")
	[ "$during_status" = 0 ] || [ "$status" != 0 ] || status=during
	if [ -x "tests/vm/scenarios/$name.host" ] && [ "$status" = 0 ]; then
		"tests/vm/scenarios/$name.host" "$res" || status=host
	fi
	if [ "$status" = 0 ]; then
		pass=$((pass + 1))
		echo "ok: $name ($took s)"
	else
		fail=$((fail + 1)) failed="$failed $name"
		echo "FAIL: $name: status $status ($took s); $res/"
	fi
	echo "$name $took $status" >>"$B/times.txt"
done
echo "vm: $pass passed, $fail failed${failed:+:$failed}"
# One scenario: its own exit status (1 when the guest did not finish or the host's half failed).
if [ $mode = one ]; then
	case $status in
	[0-9]*) exit "$status" ;;
	*) exit 1 ;;
	esac
fi
[ $fail = 0 ]
