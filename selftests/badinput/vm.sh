#!/bin/bash
# Bad inputs that need a booted guest or the kernel cache (docs/bad-input.md);
# host.sh has the rest. Run by tools/run-tests after the matrix (whose
# kernel it reuses from the cache); any case whose behaviour changes fails.
#
#   vm.sh BUILD_DIR [KERNEL_LABEL]      (default 5.10)
#
# Cases: a kernel package that does not exist, a copied cache, a corrupted
# .deb, a damaged unpacked tree, a truncated image and a damaged module in
# the kernel cache, a kernel that does not start; then one matrix run of
# selftests/badinput/guest_test.c that is SIGKILLed with a second run
# refused next to it, resumed, and whose guest prints half a record and
# crashes, then hangs a subtest; last, a results folder on a full disk.
set -uo pipefail
cd "$(dirname "$0")/../.."

build=$(cd "${1:?usage: vm.sh BUILD_DIR [KERNEL_LABEL]}" && pwd)
label=${2:-5.10}
src=$PWD
cache=$(. vm/lib.sh && igt_vm_cache)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/igt-badinput-vm.XXXXXX")
failures=0
apid=""
cleanup()
{
	[[ -z $apid ]] || kill -KILL -- "-$apid" 2>/dev/null
	mountpoint -q "$tmp/full" 2>/dev/null && umount "$tmp/full"
	rm -rf "$tmp"
}
trap cleanup EXIT

# shellcheck source=selftests/badinput/lib.sh
. "$src/selftests/badinput/lib.sh"

check()
{
	local name=$1
	shift
	if "$@"; then
		echo "ok   $name"
	else
		echo "FAIL $name"
		failures=$((failures + 1))
	fi
}

# ---- kernel cache and packages
suites=$(awk -v l="$label" '$1 == l { s = $2; if ($4 != "") s = s "+" $4; gsub(",", "+", s); print s }' vm/kernels.conf)
offline=() extra=()
[[ -f $cache/apt/$suites/updated ]] && offline=(--offline)
[[ $suites != *+* ]] || extra=(--extra-suites "$(tr + , <<<"${suites#*+}")")
expect "kernel package that does not exist" 1 \
	"^fetch-kernel: error: package 'linux-image-no-such-kernel' not found in suites" \
	vm/fetch-kernel "${offline[@]}" --suite "${suites%%+*}" "${extra[@]}" \
	--package linux-image-no-such-kernel --label nope

tree=$(readlink -f "$cache/trees/$label/current")
if [[ -d $tree && -d $cache/apt/$suites ]]; then
	# a private cache: the shared one is never damaged, only linked
	pc=$tmp/cache
	mkdir -p "$pc/apt" "$pc/debs" "$pc/trees/$label"
	cp -a "$cache/apt/$suites" "$pc/apt/"
	read -r -a debs <<<"$(. vm/lib.sh && kinfo_get "$tree/kernel.info" DEBS_SHA256)"
	for d in "${debs[@]}"; do
		ln "$cache/debs/${d%%=*}" "$pc/debs/" 2>/dev/null ||
			cp "$cache/debs/${d%%=*}" "$pc/debs/"
		cp "$cache/debs/${d%%=*}.sha256" "$pc/debs/"
	done
	cp -al "$tree" "$pc/trees/$label/"
	ln -sfn "$(basename "$tree")" "$pc/trees/$label/current"

	# a copy of the cache boots its own files: kernel.info names them
	# relative to itself (an older, absolute one is rewritten)
	expect "copied cache" 0 "trees/$label/" \
		env IGT_VM_CACHE="$pc" vm/fetch-kernel --offline "$label"
	vml=$(. vm/lib.sh && kinfo_get "$pc/trees/$label/current/kernel.info" VMLINUZ)
	case $(realpath "$vml") in
	"$(realpath "$pc")"/*) echo "ok   copied cache: boots its own $vml" ;;
	*) echo "FAIL copied cache: image $vml outside $pc"
	   failures=$((failures + 1)) ;;
	esac

	# a damaged tree (image gone) is unpacked again from the cached .debs
	rm -f "$vml"
	expect "damaged kernel tree" 0 "cached tree .* is damaged \\(kernel image or modules.dep missing\\): unpacking it again" \
		env IGT_VM_CACHE="$pc" vm/fetch-kernel --offline "$label"
	check "damaged kernel tree: image back" test -s "$vml"
	good=$(md5sum <"$vml")

	# a truncated image (a new file: the shared cache's stays whole) is
	# told from the one the .deb holds, before any boot
	head -c 300000 "$vml" >"$vml.cut"
	mv "$vml.cut" "$vml"
	expect "truncated vmlinuz: boot-guest refuses it" 1 \
		"^boot-guest: error: kernel image .* in .* differs from what vm/fetch-kernel unpacked" \
		vm/boot-guest --kernel "$pc/trees/$label/current" --initrd /dev/null \
		--out "$tmp/boot-cut" --no-scratch
	expect "truncated vmlinuz in the cache" 0 \
		"cached tree .* is damaged \\(.*vmlinuz.* differs from what was unpacked from the verified .debs\\): unpacking it again" \
		env IGT_VM_CACHE="$pc" vm/fetch-kernel --offline "$label"
	check "truncated vmlinuz: the image is whole again" \
		test "$(md5sum <"$vml")" == "$good"

	# the kernel QEMU boots through its PVH entry is derived from the
	# checked image; a damaged copy (a new file: the tree is hard-linked
	# to the shared cache) is told by its md5 and extracted again
	expect "PVH kernel extracted" 0 "/pvh/[0-9a-f]{32}\\.elf$" \
		vm/pvh-image "$pc/trees/$label/current" "$vml"
	elf=$(vm/pvh-image "$pc/trees/$label/current" "$vml")
	cp "$elf" "$elf.new"
	printf 'garbage' | dd of="$elf.new" bs=1 seek=4000 conv=notrunc status=none
	mv "$elf.new" "$elf"
	expect "damaged PVH kernel in the cache" 0 \
		"pvh-image: .*\\.elf does not match its checksum: extracting it again" \
		vm/pvh-image "$pc/trees/$label/current" "$vml"
	check "damaged PVH kernel: whole again" \
		test "$(md5sum <"$elf" | cut -d' ' -f1)" == "$(cat "$elf.md5")"

	# the kernel's part of the initramfs is kept in the cache; a damaged
	# copy is told by its checksum and built again
	expect "initramfs cache: first build" 0 "wrote $tmp/first.img" \
		env IGT_VM_CACHE="$pc" vm/build-initramfs \
		--kernel "$pc/trees/$label/current" --build "$build" --out "$tmp/first.img"
	for f in "$pc"/initramfs/*.cpio; do
		printf 'garbage' | dd of="$f" bs=1 seek=4000 conv=notrunc status=none
	done
	expect "damaged initramfs in the cache" 0 \
		"cached .*\\.cpio does not match its checksum: building it again" \
		env IGT_VM_CACHE="$pc" vm/build-initramfs \
		--kernel "$pc/trees/$label/current" --build "$build" --out "$tmp/again.img"
	check "damaged initramfs in the cache: whole again" \
		test "$(sha256sum <"$f" | cut -d' ' -f1)" == "$(cat "$f.sha256")"
	# from here on the archive is made from the tree again
	rm -rf "$pc/initramfs"

	# a module the initramfs packs, damaged: refused with what to do
	mods=$(. vm/lib.sh && kinfo_get "$pc/trees/$label/current/kernel.info" MODULES_DIR)
	ko=$(find -L "$mods/kernel/drivers/gpu/drm/vgem" -name 'vgem.ko*' | head -n 1)
	cp "$ko" "$ko.new"
	printf 'garbage' | dd of="$ko.new" bs=1 seek=1000 conv=notrunc status=none
	mv "$ko.new" "$ko"
	expect "damaged module in the cache" 1 \
		"^build-initramfs: error: .*vgem.ko.* differs from what vm/fetch-kernel unpacked: run vm/fetch-kernel again" \
		env IGT_VM_CACHE="$pc" vm/build-initramfs \
		--kernel "$pc/trees/$label/current" --build "$build" \
		--out "$tmp/damaged.img"

	# a kernel image that prints nothing at all (a user's truncated
	# bzImage: no checksum to hold it against) is reported as such
	head -c 300000 "$(. vm/lib.sh && kinfo_get "$tree/kernel.info" VMLINUZ)" >"$tmp/bzImage-cut"
	printf 'dead local %s %s\n' "$tmp/bzImage-cut" \
		"$(. vm/lib.sh && kinfo_get "$tree/kernel.info" MODULES_DIR)" >"$tmp/dead.conf"
	expect "kernel that does not start" 1 \
		"\\[dead\\] boot 1: the kernel did not start \\(nothing on its console" \
		env IGT_VM_CACHE="$pc" vm/igt-vm-matrix --build "$build" --config "$tmp/dead.conf" \
		--kernels dead --results "$tmp/r-dead" --no-expect --offline --timeout 5
	check "kernel that does not start: status no-start" \
		grep -qx no-start "$tmp/r-dead/dead/status"

	# a corrupted .deb (sha256 no longer matches), checked when a damaged
	# tree needs it: dropped, and offline that is a clear error instead
	# of a boot of a bad kernel
	first=$pc/debs/${debs[0]%%=*}
	cp --remove-destination "$cache/debs/${debs[0]%%=*}" "$first"
	printf 'garbage' | dd of="$first" bs=1 seek=4096 conv=notrunc status=none
	rm -f "$vml"
	expect "corrupted .deb in the cache" 1 \
		"^fetch-kernel: error: offline and .* is not cached" \
		env IGT_VM_CACHE="$pc" vm/fetch-kernel --offline "$label"
	check "corrupted .deb: reported" grep -q "is corrupted: fetching it again" "$tmp/out"
	check "corrupted .deb: removed" test ! -e "$first"
	rm -rf "$pc"
else
	echo "FAIL kernel cache: no tree for $label (run the matrix first)"
	failures=$((failures + 1))
fi

# ---- one matrix run through SIGKILL, resume, half a record, a hang
sb=$tmp/build
mkdir -p "$sb/runner" "$sb/tests"
cp "$build/runner/igt_guest_runner" "$build/runner/igt_vm_results" "$sb/runner/"
cp "$build/selftests/badinput/badinput_guest" "$sb/tests/"
printf 'TESTLIST\nbadinput_guest\nEND TESTLIST\n' >"$sb/tests/test-list.txt"
res=$tmp/r
matrix=(vm/igt-vm-matrix --build "$sb" --kernels "$label" --results "$res"
	--timeout 5 --no-expect --offline)

# its work folders go under $tmp: a SIGKILLed run cannot clean them
TMPDIR=$tmp setsid "${matrix[@]}" >"$tmp/a.log" 2>&1 &
apid=$!
for _ in $(seq 600); do
	grep -qs '"type":"start","test":"badinput_guest","subtest":"slow"' \
		"$res/$label/boot-1/stream.txt" && break
	kill -0 "$apid" 2>/dev/null || break
	sleep 0.1
done
check "matrix A reached subtest slow" grep -qs '"subtest":"slow"' "$res/$label/boot-1/stream.txt"
expect "second run into the same folder (--resume)" 1 \
	"^igt-vm-matrix: error: results folder '.*' is in use by another run" \
	"${matrix[@]}" --resume
expect "second run into the same folder" 1 \
	"^igt-vm-matrix: error: results folder '.*' is not empty" "${matrix[@]}"
# what a CI job timeout does: SIGKILL to the whole process group
kill -KILL -- "-$apid"
wait "$apid" 2>/dev/null
apid=""
expect "resume after SIGKILL" 0 "^igt-vm-matrix: \\[$label\\] done after [0-9]+ boot" \
	"${matrix[@]}" --resume
cp "$tmp/out" "$tmp/resume.log"
json()
{
	python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))["tests"].get("igt@badinput_guest@" + sys.argv[2], {})
print(t.get("result", "<missing>"), "|",
      (t.get("out", "")[:300] + " " + t.get("dmesg", "")).replace("\n", " "))' \
		"$res/$label/results.json" "$1"
}
for want in "slow incomplete the boot never finished" "half-line crash Trigger a crash" \
	    "hang timeout " "last pass "; do
	read -r sub result re <<<"$want"
	got=$(json "$sub" 2>&1)
	if [[ ${got%% |*} == "$result" && $got == *"$re"* ]]; then
		echo "ok   $sub: $got" | cut -c1-160
	else
		echo "FAIL $sub: expected $result ($re), got: $got" | cut -c1-300
		failures=$((failures + 1))
	fi
done
check "half-line: the cut record is counted" \
	grep -qE "[1-9][0-9]* damaged records" "$res/$label/harness.log"

# ---- a full results disk: a clear error, a failing exit
if mkdir -p "$tmp/full" && mount -t tmpfs -o size=48k tmpfs "$tmp/full"; then
	expect "full results disk" 1 \
		"^igt-vm-matrix: error: results folder '.*' has [0-9]+ KiB free, [0-9]+ needed" \
		vm/igt-vm-matrix --build "$sb" --kernels "$label" --offline \
		--results "$tmp/full/r" --timeout 5 --no-expect
	umount "$tmp/full"
else
	echo "FAIL full results disk: cannot mount a tmpfs (root needed)"
	failures=$((failures + 1))
fi

if (( failures )); then
	echo "$failures VM bad-input case(s) changed behaviour"
	exit 1
fi
echo "all VM bad-input cases hold"
