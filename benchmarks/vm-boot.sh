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
usage: $IGT_VM_PROG [--build DIR] [--kernels L1,L2] [--jobs N] [--rounds N]
                    [--out DIR] [--no-vng] [--reuse]

  --build DIR     meson build directory (default: ./build)
  --kernels LIST  labels from vm/kernels.conf (default: all)
  --jobs N        kernels at once (default: number of cores)
  --rounds N      floor boots then the matrix, N times (default: 1); each
                  figure is the median over the rounds, and the table
                  also gives the lowest and highest round's ratio
  --out DIR       where to keep the runs (default: a temporary folder)
  --no-vng        do not run virtme-ng even if installed
  --reuse         keep the rounds of floor and matrix runs already in
                  --out DIR, run only vng and print the table
EOF
}

BUILD=./build KERNELS="" JOBS=$(nproc) OUT="" NO_VNG=0 REUSE=0 ROUNDS=1
while (( $# )); do
	case $1 in
	--build) BUILD=${2:?}; shift ;;
	--kernels) KERNELS=${2:?}; shift ;;
	--jobs) JOBS=${2:?}; shift ;;
	--rounds) ROUNDS=${2:?}; shift ;;
	--out) OUT=${2:?}; shift ;;
	--no-vng) NO_VNG=1 ;;
	--reuse) REUSE=1 ;;
	-h|--help) usage; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
[[ $ROUNDS =~ ^[1-9][0-9]?$ ]] || die "--rounds takes a count from 1 to 99, not '$ROUNDS'"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install time)"
[[ -d $BUILD ]] || die "build directory '$BUILD' not found"
BUILD=$(cd "$BUILD" && pwd)
if [[ -z $OUT ]]; then
	(( ! REUSE )) || die "--reuse needs --out DIR"
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
# The same with the image as packaged (--bzimage), in the first round:
# what booting the kernel through its PVH entry (vm/pvh-image) saves.
floor_one()
{
	local l=$1 r=$2 d="$OUT/round-$2/floor/$1" b="$OUT/round-$2/floor-bz/$1"
	mkdir -p "$d"
	"$top/vm/build-initramfs" --kernel "${KDIR[$l]}" --poweroff-init \
		--out "$d/init.img" 2>/dev/null
	"$top/vm/boot-guest" --kernel "${KDIR[$l]}" --initrd "$d/init.img" \
		--out "$d" --timeout 60 2>"$d/log" || true
	(( r == 1 )) || return 0
	mkdir -p "$b"
	"$top/vm/boot-guest" --kernel "${KDIR[$l]}" --initrd "$d/init.img" \
		--out "$b" --timeout 60 --bzimage 2>"$b/log" || true
}

# Peak host memory of all the matrix's QEMUs together: /usr/bin/time
# reports only the largest single process, so also sample the sum.
# One python3 process reads /proc twice a second: a shell loop that
# forks a grep and an awk per process took enough of the two cores
# to slow the matrix it measured.
sample_rss()
{
	python3 - "$1/matrix/" "$1/matrix.finished" "$1/rss.peak" <<'PY'
import os, sys, time
needle, finished, out = sys.argv[1].encode(), sys.argv[2], sys.argv[3]
peak = 0
while not os.path.exists(finished):
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            # the QEMUs of this run name the results folder in their
            # serial ports' paths
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if needle not in f.read():
                    continue
            with open("/proc/%s/status" % pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    peak = max(peak, total)
    with open(out, "w") as f:
        f.write("%d\n" % peak)
    time.sleep(0.5)
PY
}

# One round: the floor boots, then the matrix right after them, so that
# both meet the same state of a shared host.
round_one()
{
	local r=$1 d="$OUT/round-$1" l sampler mrc=0
	mkdir -p "$d"
	cut -d' ' -f1-3 /proc/loadavg >"$d/load.before"
	log "round $r of $ROUNDS: floor boots (${LABELS[*]}, $JOBS at a time; load average $(cat "$d/load.before"))"
	for l in "${LABELS[@]}"; do
		while (( $(jobs -rp | wc -l) >= JOBS )); do
			wait -n || true
		done
		floor_one "$l" "$r" &
	done
	wait

	log "round $r of $ROUNDS: matrix run"
	rm -rf "$d/matrix" "$d/matrix.finished"
	sample_rss "$d" &
	sampler=$!
	/usr/bin/time -v -o "$d/time.txt" "$top/vm/igt-vm-matrix" --build "$BUILD" \
		--results "$d/matrix" --jobs "$JOBS" --no-expect \
		--kernels "$(IFS=,; echo "${LABELS[*]}")" >"$d/matrix.log" 2>&1 || mrc=$?
	touch "$d/matrix.finished"
	wait "$sampler" || true
	(( mrc == 0 )) || log "round $r: matrix exited with $mrc (see $d/matrix.log); timings below still hold"
}

if (( REUSE )); then
	ROUNDS=0
	while [[ -d $OUT/round-$((ROUNDS + 1)) ]]; do
		ROUNDS=$((ROUNDS + 1))
	done
	(( ROUNDS > 0 )) || die "--reuse: no round-N folder in $OUT"
	log "reusing the $ROUNDS round(s) of floor and matrix runs in $OUT"
else
	for ((r = 1; r <= ROUNDS; r++)); do
		round_one "$r"
	done
fi

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
# Like for like: the same kernel image, the same devices (the GPUs and
# the ivshmem reference; vgem and udmabuf loaded as our /init does), the
# framebuffer console where boot-guest puts it (fbcon=map:0), the same
# test binaries (the statically linked ones where the build has them, as
# build-initramfs takes), one process per binary as our guest runner runs
# them (each binary without --run-subtest runs all its subtests).
declare -A VNG_S=()
TESTS_DIR=$(guest_tests_dir "$BUILD")
VNG_DEVICES="-device qxl-vga -device virtio-gpu-pci -device bochs-display -device cirrus-vga -object memory-backend-memfd,id=ivshmem,size=2M,share=on -device ivshmem-plain,memdev=ivshmem"
vng_script()
{
	local t
	printf 'modprobe vgem 2>/dev/null; modprobe udmabuf 2>/dev/null; cd %q' "$TESTS_DIR"
	for t in $(testlist_names "$TESTS_DIR/test-list.txt" 2>/dev/null || echo gem_mmap_gup drm_ttm_pfnmap); do
		printf '; ./%q' "$t"
	done
	printf '\n'
}
if [[ -n $VNG ]]; then
	script=$(vng_script)
	LAST_SUB=$("$TESTS_DIR/${script##*./}" --list-subtests | tail -n 1)
	for l in "${LABELS[@]}"; do
		vm=$(kinfo_get "${KDIR[$l]}/kernel.info" VMLINUZ)
		t0=$(now_ms)
		# no --rwdir: vng puts a tmpfs over /tmp, and the tests
		# write nothing the host needs
		# bounded: a vng guest has been seen to stay up after the test
		# ended (5.10), and a benchmark must end
		timeout "${VNG_TIMEOUT:-300}" "$VNG" --disable-kvm -r "$vm" \
			--cpus 1 --memory 2G --append fbcon=map:0 \
			--qemu-opts="$VNG_DEVICES" --exec "$script" \
			</dev/null >"$OUT/vng-$l.log" 2>&1 || true
		t1=$(now_ms)
		# a time counts only if every binary ran to its end in the
		# guest: the last subtest of the last binary has its result
		if grep -aq "^Subtest $LAST_SUB: " "$OUT/vng-$l.log" &&
		   (( t1 - t0 < ${VNG_TIMEOUT:-300} * 1000 )); then
			VNG_S[$l]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
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

# From the record streams: what one process start costs in the guest
# (the mean wall time of the --list-subtests processes: they only start
# and print) and the bytes the channel carries per result.
stream_figures()
{
	python3 - "$@" <<'PY'
import json, os, sys
lists, results, size = [], 0, 0
for path in sys.argv[1:]:
    size += os.path.getsize(path)
    for line in open(path, errors="replace"):
        i = line.find("IGTVM1 {")
        if i < 0:
            continue
        try:
            r = json.loads(line[i + 7:])
        except ValueError:
            continue
        if r.get("type") == "list" and "time" in r:
            lists.append(r["time"])
        elif r.get("type") == "result":
            results += 1
print("%s %s" % ("%.0f" % (1000 * sum(lists) / len(lists)) if lists else "-",
                 "%.0f" % (size / results) if results else "-"))
PY
}

# The median of the numbers among the arguments ("-": none), or "-".
median()
{
	printf '%s\n' "$@" | awk '$1 ~ /^[0-9.]+$/' | sort -g |
		awk '{ v[NR] = $1 }
		END {
			if (!NR) print "-"
			else if (NR % 2) printf "%.2f", v[(NR + 1) / 2]
			else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

# the larger of two numbers
max_of()
{
	awk -v a="$1" -v b="$2" 'BEGIN { print (a > b) ? a : b }'
}

# a / b to 2 places, or "-"
ratio_of()
{
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b
		else print "-" }'
}

printf '\n%-6s %-22s %9s %8s %8s %6s %13s %8s %6s' kernel release to_init_s \
	tests_s total_s boots floor_init_s floor_s ratio
(( ROUNDS == 1 )) || printf ' %11s' ratio_rounds
printf ' %10s %8s %8s' bz_floor_s start_ms B/result
[[ -z $VNG ]] || printf ' %8s %9s' vng_s ours/vng
printf '\n'
worst_ratio=0 worst_round=0 worst_vng=0
for l in "${LABELS[@]}"; do
	rel=$(kinfo_get "${KDIR[$l]}/kernel.info" RELEASE)
	inits=() testss=() totals=() bootss=() floors=() finits=() ratios=() streams=()
	for ((r = 1; r <= ROUNDS; r++)); do
		t="$OUT/round-$r/matrix/$l/timing.txt"
		f="$OUT/round-$r/floor/$l"
		total=- floor=-
		if [[ -f $t ]]; then
			inits+=("$(awk '$1 == "boot-1" { print $2 }' "$t")")
			testss+=("$(awk '$1 ~ /^boot-/ && $3 != "-" { s += $3; n++ } END { if (n) printf "%.2f", s; else print "-" }' "$t")")
			total=$(awk '$1 == "total_wall_s" { print $2 }' "$t")
			bootss+=("$(grep -c '^boot-' "$t" || true)")
			streams+=("$OUT/round-$r/matrix/$l"/boot-*/stream.txt)
		fi
		if [[ -f $f/boot.txt ]]; then
			floor=$(secs "$(sed -n 's/^wall_ms=//p' "$f/boot.txt")")
			finits+=("$(awk '{ sub(/\r$/, "") } $1 == "IGTVM-INIT" && !v { v = $2 } END { print v ? v : "-" }' "$f/console.txt")")
		fi
		totals+=("$total") floors+=("$floor")
		ratios+=("$(ratio_of "$total" "$floor")")
	done
	total=$(median "${totals[@]}") floor=$(median "${floors[@]}")
	ratio=$(ratio_of "$total" "$floor")
	[[ $ratio == - ]] ||
		worst_ratio=$(max_of "$ratio" "$worst_ratio")
	lo=$(printf '%s\n' "${ratios[@]}" | awk '$1 != "-"' | sort -g | head -n 1)
	hi=$(printf '%s\n' "${ratios[@]}" | awk '$1 != "-"' | sort -g | tail -n 1)
	[[ -z $hi ]] ||
		worst_round=$(max_of "$hi" "$worst_round")
	bzfloor=-
	if [[ -f $OUT/round-1/floor-bz/$l/boot.txt ]]; then
		bzfloor=$(secs "$(sed -n 's/^wall_ms=//p' "$OUT/round-1/floor-bz/$l/boot.txt")")
	fi
	startms=- bpr=-
	(( ${#streams[@]} == 0 )) || read -r startms bpr < <(stream_figures "${streams[@]}")
	boots=$(median "${bootss[@]}")
	printf '%-6s %-22s %9s %8s %8s %6s %13s %8s %6s' "$l" "$rel" \
		"$(median "${inits[@]}")" "$(median "${testss[@]}")" "$total" \
		"${boots%.00}" "$(median "${finits[@]}")" "$floor" "$ratio"
	(( ROUNDS == 1 )) || printf ' %11s' "${lo:--}-${hi:--}"
	printf ' %10s %8s %8s' "$bzfloor" "$startms" "$bpr"
	if [[ -n $VNG ]]; then
		vr=$(ratio_of "$total" "${VNG_S[$l]}")
		[[ $vr == - ]] || worst_vng=$(max_of "$vr" "$worst_vng")
		printf ' %8s %9s' "${VNG_S[$l]}" "$vr"
	fi
	printf '\n'
done
walls=() peak=0 maxrss=0 loads=()
for ((r = 1; r <= ROUNDS; r++)); do
	w=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$OUT/round-$r/time.txt" 2>/dev/null)
	walls+=("$(awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }' <<<"${w:-0}")")
	m=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/round-$r/time.txt" 2>/dev/null)
	(( ${m:-0} <= maxrss )) || maxrss=$m
	p=$(( $(cat "$OUT/round-$r/rss.peak" 2>/dev/null || echo 0) / 1024 ))
	(( p <= peak )) || peak=$p
	loads+=("$(cat "$OUT/round-$r/load.before" 2>/dev/null || echo -)")
done
wall_s=$(median "${walls[@]}")
if (( ROUNDS == 1 )); then
	printf '\nmatrix: %d kernel(s), %s at a time, wall %s s (load average before: %s)\n' \
		"${#LABELS[@]}" "$JOBS" "$wall_s" "${loads[0]}"
else
	printf '\n%d rounds; matrix: %d kernel(s), %s at a time, wall %s s median (rounds: %s)\n' \
		"$ROUNDS" "${#LABELS[@]}" "$JOBS" "$wall_s" "$(printf '%s, ' "${walls[@]}" | sed 's/, $//')"
	printf 'load average before each round: %s\n' "$(printf '%s; ' "${loads[@]}" | sed 's/; $//')"
fi
printf 'peak host memory: %s MiB (all QEMUs at once, sampled); largest single process %s MiB\n' \
	"$peak" "$(( ${maxrss:-0} / 1024 ))"
printf 'to_init_s: kernel uptime at /init (first boot); tests_s: guest runner start to exit (all boots);\n'
printf 'total_s: wall time of all boots of that kernel; floor_init_s, floor_s: the same for\n'
printf 'a boot whose /init powers off at once (same devices, same PVH kernel); ratio: total_s / floor_s;\n'
if (( ROUNDS > 1 )); then
	printf 'each of these the median over the %d rounds (ratio: of the medians); ratio_rounds:\n' "$ROUNDS"
	printf 'the lowest and highest ratio of one round, its matrix against its own floor boots;\n'
fi
printf 'bz_floor_s: that boot of the compressed image as packaged (boot-guest --bzimage);\n'
printf 'start_ms: mean wall time of a test binary process that only lists its subtests (one\n'
printf 'process start in the guest); B/result: record stream bytes per result.\n'
if [[ -n $VNG ]]; then
	printf 'vng_s: the same kernel image booted by virtme-ng (%s; host udev, 9p root)\n' "$VNG"
	printf 'with the same devices, vgem and udmabuf loaded, running each test binary of the\n'
	printf 'build once, one process per binary, as our guest runner does; ours/vng: total_s / vng_s.\n'
	printf 'vng boots the image as packaged (it decompresses itself), the matrix the PVH kernel.\n'
else
	if (( NO_VNG )); then
		echo "vng: skipped (--no-vng)"
	else
		echo "vng: skipped: virtme-ng is not installed and benchmarks/fetch-vng failed (see $OUT/fetch-vng.log)"
	fi
fi
# the targets of issue 12, as figures against their bounds
printf 'targets: total/floor <= 3 (worst %s%s); %s-kernel matrix wall <= 45 s on 2 cores (%s s, %s at a time);\n' \
	"$worst_ratio" "$( (( ROUNDS == 1 )) || echo "; worst single round $worst_round")" \
	"${#LABELS[@]}" "$wall_s" "$JOBS"
printf '         ours/vng <= 0.5 (worst %s); peak host memory <= 2560 MiB (%s MiB)\n' \
	"$([[ -n $VNG ]] && echo "$worst_vng" || echo -)" "$peak"
echo "runs kept in $OUT"
