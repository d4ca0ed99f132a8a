#!/bin/bash
# The record channel's cost: one guest (the matrix's QEMU, TCG, one CPU)
# writes the same records through each channel the guest runner could use,
# each record made crash-safe before the next as the runner does:
#   uart: the second 8250 (ttyS1), raw, tcdrain() after each record;
#   virtio-console: a virtserialport, write() (QEMU takes the data in the
#     notify, in the vCPU thread, under TCG);
#   virtio-blk: a raw log disk, O_DIRECT|O_DSYNC writes of whole sectors.
# Prints records/s and MB/s per channel and checks the host file got every
# byte. Record size defaults to the measured bytes per result.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
IGT_VM_PROG="channel.sh"
# shellcheck source=vm/lib.sh
. "$top/vm/lib.sh"

LABEL=6.1 RECORDS=1000 SIZE=1160 OUT="" BUILD=./build STATIC="" STARTS=20
while (( $# )); do
	case $1 in
	--kernel) LABEL=${2:?}; shift ;;
	--records) RECORDS=${2:?}; shift ;;
	--size) SIZE=${2:?}; shift ;;
	--out) OUT=${2:?}; shift ;;
	--build) BUILD=${2:?}; shift ;;
	--static-build) STATIC=${2:?}; shift ;;
	-h|--help)
		echo "usage: $IGT_VM_PROG [--kernel LABEL] [--records N] [--size BYTES] [--out DIR]"
		echo "       [--build DIR] [--static-build DIR]"
		exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
need_cmd qemu-system-x86_64 cc cpio modprobe
[[ -n $OUT ]] || OUT=$(mktemp -d "${TMPDIR:-/tmp}/igt-chan.XXXXXX")
mkdir -p "$OUT/stage/bin" "$OUT/stage/mod"
OUT=$(cd "$OUT" && pwd)

KDIR=$("$top/vm/fetch-kernel" "$LABEL")
ROOT=$(kinfo_get "$KDIR/kernel.info" ROOT)
REL=$(kinfo_get "$KDIR/kernel.info" RELEASE)
VMLINUZ=$(kinfo_get "$KDIR/kernel.info" VMLINUZ)
cc -O2 -static -o "$OUT/stage/bin/chan_writer" "$here/chan_writer.c"
"$top/vm/build-initramfs" --kernel "$KDIR" --poweroff-init --out "$OUT/base.img" 2>/dev/null

# the virtio PCI transport, virtio_blk and virtio_console with what they
# need, unless built in
: >"$OUT/stage/mod/order"
while read -r f; do
	b=$(basename "$f")
	grep -qx "${b%.xz}" "$OUT/stage/mod/order" && continue
	grep -qx "${b%.zst}" "$OUT/stage/mod/order" && continue
	case $b in
	*.ko.xz) b=${b%.xz}; xz -dc "$f" >"$OUT/stage/mod/$b" ;;
	*.ko.zst) b=${b%.zst}; zstd -qdc "$f" >"$OUT/stage/mod/$b" ;;
	*) cp "$f" "$OUT/stage/mod/$b" ;;
	esac
	echo "$b" >>"$OUT/stage/mod/order"
done < <(for m in virtio_pci virtio_blk virtio_console; do
		modprobe -d "$ROOT" -S "$REL" --show-depends "$m" 2>/dev/null
	 done | awk '$1 == "insmod" { print $2 }')

# What a process start costs in the guest: the test binary as the build
# links it (shared libraries) and, given --static-build DIR (meson
# -Dc_link_args=-static -Dprefer_static=true), linked statically; each
# started STARTS times to list its subtests.
DYN=$BUILD/tests/gem_mmap_gup
mkdir -p "$OUT/stage/dyn" "$OUT/stage/static"
if [[ -x $DYN ]]; then
	cp "$DYN" "$OUT/stage/dyn/"
	while read -r lib; do
		mkdir -p "$OUT/stage/$(dirname "$lib")"
		cp -L "$lib" "$OUT/stage/$lib"
	done < <(ldd "$DYN" | awk '/=> \// { print $3 } /^[[:space:]]*\// { print $1 }')
fi
if [[ -n $STATIC && -x $STATIC/tests/gem_mmap_gup ]]; then
	cp "$STATIC/tests/gem_mmap_gup" "$OUT/stage/static/"
fi

cat >"$OUT/stage/init" <<INIT
#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r m; do insmod /mod/\$m; done </mod/order
port=
for p in /sys/class/virtio-ports/*; do
	[ "\$(cat \$p/name 2>/dev/null)" = igt.chan ] && port=/dev/\${p##*/}
done
/bin/chan_writer tty /dev/ttyS1 $RECORDS $SIZE
[ -n "\$port" ] && /bin/chan_writer port \$port $RECORDS $SIZE
/bin/chan_writer blk /dev/vda $RECORDS $SIZE
for k in dyn static; do
	[ -x /\$k/gem_mmap_gup ] || continue
	t0=\$(cut -d' ' -f1 /proc/uptime)
	i=0
	while [ \$i -lt $STARTS ]; do /\$k/gem_mmap_gup --list-subtests >/dev/null; i=\$((i + 1)); done
	echo "IGTVM-START \$k $STARTS \$t0 \$(cut -d' ' -f1 /proc/uptime)"
done
poweroff -f
INIT
chmod 0755 "$OUT/stage/init"
(cd "$OUT/stage" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$OUT/extra.img"
cat "$OUT/base.img" "$OUT/extra.img" >"$OUT/initrd.img"

: >"$OUT/console.txt" ; : >"$OUT/uart.bin" ; : >"$OUT/port.bin"
truncate -s $(( (RECORDS * ((SIZE + 511) / 512 * 512)) / 1048576 + 2 ))M "$OUT/blk.img"
t0=$(now_ms)
timeout 600 qemu-system-x86_64 -machine q35 -m 2G -smp 1 -nodefaults -display none \
	-no-reboot -monitor none -accel tcg -cpu max -kernel "$VMLINUZ" \
	-initrd "$OUT/initrd.img" \
	-append "console=ttyS0 panic=-1 loglevel=6 mitigations=off rdinit=/init" \
	-serial "file:$OUT/console.txt" -serial "file:$OUT/uart.bin" \
	-device virtio-serial-pci -chardev "file,id=chan,path=$OUT/port.bin" \
	-device virtserialport,chardev=chan,name=igt.chan \
	-drive "file=$OUT/blk.img,format=raw,if=none,id=blk,cache=unsafe" \
	-device virtio-blk-pci,drive=blk >"$OUT/qemu.log" 2>&1
t1=$(now_ms)

printf '%-15s %8s %10s %9s %10s %9s %s\n' channel records bytes guest_s records/s MB/s host_file
for m in tty port blk; do
	line=$(grep -a "^IGTVM-CHAN $m " "$OUT/console.txt" | tr -d '\r' || true)
	case $m in
	tty) name=uart file=$OUT/uart.bin ;;
	port) name=virtio-console file=$OUT/port.bin ;;
	blk) name=virtio-blk file=$OUT/blk.img ;;
	esac
	if [[ -z $line ]]; then
		printf '%-15s %s\n' "$name" "did not run (see $OUT/console.txt)"
		continue
	fi
	read -r _ _ n bytes secs <<<"$line"
	if [[ $m == blk ]]; then
		got=$(head -c "$bytes" "$file" | tr -d '\0' | wc -c)
		want=$(( n * SIZE ))
	else
		got=$(stat -c %s "$file")
		want=$bytes
	fi
	printf '%-15s %8s %10s %9s %10s %9s %s\n' "$name" "$n" "$bytes" "$secs" \
		"$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')" \
		"$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.2f", b / s / 1e6 }')" \
		"$( ((got == want)) && echo "all $got bytes" || echo "$got of $want bytes")"
done
grep -a '^IGTVM-START ' "$OUT/console.txt" | tr -d '\r' | while read -r _ k n a b; do
	printf 'process start (%s gem_mmap_gup --list-subtests): %s ms each, %s starts\n' \
		"$( [[ $k == dyn ]] && echo "shared-library" || echo "static")" \
		"$(awk -v a="$a" -v b="$b" -v n="$n" 'BEGIN { printf "%.1f", (b - a) * 1000 / n }')" "$n"
done
printf '%s: %s, %s records of %s bytes, guest wall %s s (load average %s)\n' \
	"$LABEL" "$REL" "$RECORDS" "$SIZE" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1000 }')" \
	"$(cut -d' ' -f1-3 /proc/loadavg)"
