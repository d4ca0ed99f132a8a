#!/bin/bash
# VM matrix benchmark: per kernel, boot-to-/init, time running the tests
# and the total of the harness's boots, against the same kernel and
# devices booted with an /init that powers off at once (the floor); the
# matrix's wall time and peak host memory; and, where virtme-ng (vng) is
# installed, the same kernel run through vng.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
IGT_VM_PROG="vm-boot.sh"
# shellcheck source=vm/lib.sh
. "$top/vm/lib.sh"

usage()
{
	cat <<EOF
usage: $IGT_VM_PROG [--build DIR] [--kernels L1,L2] [--jobs N] [--out DIR]
                    [--no-vng]

  --build DIR     meson build directory (default: ./build)
  --kernels LIST  labels from vm/kernels.conf (default: all)
  --jobs N        kernels at once (default: number of cores)
  --out DIR       where to keep the runs (default: a temporary folder)
  --no-vng        do not run virtme-ng even if installed
EOF
}

BUILD=./build KERNELS="" JOBS=$(nproc) OUT="" NO_VNG=0
while (( $# )); do
	case $1 in
	--build) BUILD=${2:?}; shift ;;
	--kernels) KERNELS=${2:?}; shift ;;
	--jobs) JOBS=${2:?}; shift ;;
	--out) OUT=${2:?}; shift ;;
	--no-vng) NO_VNG=1 ;;
	-h|--help) usage; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install time)"
[[ -d $BUILD ]] || die "build directory '$BUILD' not found"
BUILD=$(cd "$BUILD" && pwd)
if [[ -z $OUT ]]; then
	OUT=$(mktemp -d "${TMPDIR:-/tmp}/igt-vm-bench.XXXXXX")
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

LABELS=()
if [[ -n $KERNELS ]]; then
	IFS=, read -r -a LABELS <<<"$KERNELS"
else
	while read -r l _; do
		[[ -z $l || $l == \#* ]] || LABELS+=("$l")
	done <"$top/vm/kernels.conf"
fi

declare -A KDIR=()
for l in "${LABELS[@]}"; do
	KDIR[$l]=$("$top/vm/fetch-kernel" "$l")
done

# The floor: same kernel, same devices and scratch disk, /init powers
# off at once. QEMU start, firmware and kernel boot are all in it.
floor_one()
{
	local l=$1 d="$OUT/floor/$1"
	mkdir -p "$d"
	"$top/vm/build-initramfs" --kernel "${KDIR[$l]}" --poweroff-init \
		--out "$d/init.img" 2>/dev/null
	"$top/vm/boot-guest" --kernel "${KDIR[$l]}" --initrd "$d/init.img" \
		--out "$d" --timeout 60 2>"$d/log" || true
}

log "floor boots (${LABELS[*]}, $JOBS at a time)"
for l in "${LABELS[@]}"; do
	while (( $(jobs -rp | wc -l) >= JOBS )); do
		wait -n || true
	done
	floor_one "$l" &
done
wait

# Peak host memory of all the matrix's QEMUs together: /usr/bin/time
# reports only the largest single process, so also sample the sum.
sample_rss()
{
	local peak=0 sum pid rss
	while [[ ! -e $OUT/matrix.finished ]]; do
		sum=0
		# The QEMUs of this run name the results folder in their serial
		# ports' paths. /proc, not pgrep: procps is not essential.
		for pid in /proc/[0-9]*; do
			grep -qaF -- "$OUT/matrix/" "$pid/cmdline" 2>/dev/null || continue
			rss=$(awk '/^VmRSS:/ { print $2 }' "$pid/status" 2>/dev/null || true)
			sum=$((sum + ${rss:-0}))
		done
		(( sum > peak )) && peak=$sum
		echo "$peak" >"$OUT/rss.peak"
		sleep 0.5
	done
}

log "matrix run"
rm -rf "$OUT/matrix" "$OUT/matrix.finished"
sample_rss &
sampler=$!
mrc=0
/usr/bin/time -v -o "$OUT/time.txt" "$top/vm/igt-vm-matrix" --build "$BUILD" \
	--results "$OUT/matrix" --jobs "$JOBS" --no-expect \
	--kernels "$(IFS=,; echo "${LABELS[*]}")" >"$OUT/matrix.log" 2>&1 || mrc=$?
touch "$OUT/matrix.finished"
wait "$sampler" || true
(( mrc == 0 )) || log "matrix exited with $mrc (see $OUT/matrix.log); timings below still hold"

# vng, where present: same kernel and devices, same test binaries run
# from the host's build tree through 9p.
VNG=""
if (( ! NO_VNG )); then
	if command -v vng >/dev/null; then
		VNG=$(command -v vng)
	else
		# trixie's package, unpacked into the cache, never installed
		VNG=$("$top/benchmarks/fetch-vng" 2>"$OUT/fetch-vng.log") ||
			VNG=""
	fi
fi
declare -A VNG_S=()
if [[ -n $VNG ]]; then
	for l in "${LABELS[@]}"; do
		vm=$(kinfo_get "${KDIR[$l]}/kernel.info" VMLINUZ)
		t0=$(now_ms)
		# no --rwdir: vng puts a tmpfs over /tmp, and the test
		# writes nothing the host needs
		# bounded: a vng guest has been seen to stay up after the test
		# ended (5.10), and a benchmark must end
		timeout "${VNG_TIMEOUT:-300}" "$VNG" --disable-kvm -r "$vm" \
			--qemu-opts="-device qxl-vga -device virtio-gpu-pci -device bochs-display -device cirrus-vga" \
			--exec "$(realpath "$BUILD")/tests/gem_mmap_gup" \
			</dev/null >"$OUT/vng-$l.log" 2>&1 || true
		# a time counts only if the test really ran in the guest
		if grep -q '^Subtest [A-Za-z0-9_-]*: ' "$OUT/vng-$l.log" &&
		   (( $(now_ms) - t0 < ${VNG_TIMEOUT:-300} * 1000 )); then
			VNG_S[$l]=$(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
		else
			VNG_S[$l]=failed
			log "vng run of $l failed: see $OUT/vng-$l.log"
		fi
	done
fi

secs()
{
	awk -v w="$1" 'BEGIN { printf "%.2f", w / 1000 }'
}

printf '\n%-6s %-22s %9s %8s %8s %6s %13s %8s %6s' kernel release to_init_s tests_s \
	total_s boots floor_init_s floor_s ratio
[[ -z $VNG ]] || printf ' %8s %9s' vng_s vng/ours
printf '\n'
for l in "${LABELS[@]}"; do
	t="$OUT/matrix/$l/timing.txt"
	f="$OUT/floor/$l"
	rel=$(kinfo_get "${KDIR[$l]}/kernel.info" RELEASE)
	init=- tests=- total=- boots=0 floor=- ratio=- finit=-
	if [[ -f $t ]]; then
		init=$(awk '$1 == "boot-1" { print $2 }' "$t")
		tests=$(awk '$1 ~ /^boot-/ && $3 != "-" { s += $3; n++ } END { if (n) printf "%.2f", s; else print "-" }' "$t")
		total=$(awk '$1 == "total_wall_s" { print $2 }' "$t")
		boots=$(grep -c '^boot-' "$t" || true)
	fi
	if [[ -f $f/boot.txt ]]; then
		floor=$(secs "$(sed -n 's/^wall_ms=//p' "$f/boot.txt")")
		finit=$(awk '{ sub(/\r$/, "") } $1 == "IGTVM-INIT" && !v { v = $2 } END { print v ? v : "-" }' "$f/console.txt")
	fi
	if [[ $total != - && $floor != - ]]; then
		ratio=$(awk -v a="$total" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')
	fi
	printf '%-6s %-22s %9s %8s %8s %6s %13s %8s %6s' "$l" "$rel" "$init" "$tests" \
		"$total" "$boots" "$finit" "$floor" "$ratio"
	if [[ -n $VNG ]]; then
		printf ' %8s %9s' "${VNG_S[$l]}" \
			"$(awk -v a="${VNG_S[$l]}" -v b="$total" 'BEGIN { if (b > 0 && a ~ /^[0-9.]+$/) printf "%.2f", a / b; else print "-" }')"
	fi
	printf '\n'
done
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$OUT/time.txt")
maxrss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/time.txt")
printf '\nmatrix: %d kernel(s), %s at a time, wall %s\n' "${#LABELS[@]}" "$JOBS" "$wall"
printf 'peak host memory: %s MiB (all QEMUs at once, sampled); largest single process %s MiB\n' \
	"$(( $(cat "$OUT/rss.peak" 2>/dev/null || echo 0) / 1024 ))" "$(( ${maxrss:-0} / 1024 ))"
printf 'to_init_s: kernel uptime at /init (first boot); tests_s: guest runner start to exit (all boots);\n'
printf 'total_s: wall time of all boots of that kernel; floor_init_s, floor_s: the same for\n'
printf 'a boot whose /init powers off at once (same devices); ratio: total_s / floor_s.\n'
if [[ -n $VNG ]]; then
	printf 'vng_s: the same kernel image booted by virtme-ng (%s; host udev, 9p root)\n' "$VNG"
	printf 'running gem_mmap_gup once in one process (udev loads the GPU drivers from the\n'
	printf "kernel's tree; vgem, which no device asks for, stays unloaded); vng/ours: vng_s / total_s.\n"
else
	if (( NO_VNG )); then
		echo "vng: skipped (--no-vng)"
	else
		echo "vng: skipped: virtme-ng is not installed and benchmarks/fetch-vng failed (see $OUT/fetch-vng.log)"
	fi
fi
echo "runs kept in $OUT"
