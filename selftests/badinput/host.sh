#!/bin/bash
# Bad inputs that need no VM, no kernel cache and no network: each case
# runs one command and checks its exit status and the one line that says
# what was wrong (docs/bad-input.md has the table). meson test --suite
# badinput; a case whose behaviour changes fails.
#
#   host.sh BUILD_DIR SOURCE_DIR
set -uo pipefail

build=$(cd "${1:?usage: host.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?}" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/igt-badinput.XXXXXX")
failures=0
lockpid=""
cleanup()
{
	[[ -z $lockpid ]] || kill "$lockpid" 2>/dev/null
	mountpoint -q "$tmp/full" 2>/dev/null && umount "$tmp/full"
	rm -rf "$tmp"
}
trap cleanup EXIT

# shellcheck source=selftests/badinput/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# json_get FILE TEST KEY: one field of one test of a results.json.
json_get()
{
	python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))["tests"].get(sys.argv[2], {})
print(t.get(sys.argv[3], "<missing>"))' "$@"
}

# expect_result NAME DIR TEST RESULT [REGEX]: results.json of DIR gives
# TEST that result, and its out or dmesg has a line matching REGEX.
expect_result()
{
	local name=$1 dir=$2 test=$3 want=$4 re=${5:-} got
	got=$(json_get "$dir/results.json" "$test" result)
	if [[ $got != "$want" ]]; then
		echo "FAIL $name: $test is $got, expected $want"
		failures=$((failures + 1))
	elif [[ -n $re ]] &&
	     ! { json_get "$dir/results.json" "$test" out
		 json_get "$dir/results.json" "$test" dmesg; } |
	     grep -E -- "$re" >/dev/null; then
		echo "FAIL $name: $test's out/dmesg has no line matching /$re/"
		failures=$((failures + 1))
	else
		echo "ok   $name: $test recorded as $got"
	fi
}

rec()
{
	printf 'IGTVM1 %s\n' "$1"
}

# ---- unknown options: every command names the option and fails
for t in gem_mmap_gup drm_ttm_pfnmap; do
	expect "unknown-option $t" 79 "unrecognized option '--no-such-option'" \
		"$build/tests/$t" --no-such-option
done
expect "unknown-option igt-vm-matrix" 1 \
	"^igt-vm-matrix: error: unknown argument '--no-such-option'" \
	"$src/vm/igt-vm-matrix" --no-such-option
expect "unknown-option fetch-kernel" 1 \
	"^fetch-kernel: error: unknown option '--no-such-option'" \
	"$src/vm/fetch-kernel" --no-such-option
expect "unknown-option boot-guest" 1 \
	"^boot-guest: error: unknown argument '--no-such-option'" \
	"$src/vm/boot-guest" --no-such-option
expect "unknown-command igt_vm_results" 2 \
	"^igt_vm_results: unknown command '--no-such-option'" \
	"$build/runner/igt_vm_results" --no-such-option
expect "unknown-option igt_vm_results build" 2 \
	"unrecognized option '--no-such-option'" \
	"$build/runner/igt_vm_results" build --no-such-option
expect "unknown-option igt_guest_runner" 2 \
	"unrecognized option '--no-such-option'" \
	"$build/runner/igt_guest_runner" --no-such-option

# ---- bad globs: matched literally, nothing matches, exit 79 (IGT's)
expect "bad-glob unterminated set" 79 "CRITICAL: Unknown subtest: dumb-\\[" \
	"$build/tests/gem_mmap_gup" --run-subtest 'dumb-['
expect "bad-glob empty list item" 79 "CRITICAL: Unknown subtest: ,!" \
	"$build/tests/gem_mmap_gup" --run-subtest ',!'
expect "bad-glob dynamic" 79 "CRITICAL: Unknown subtest: \\[\\]\\]" \
	"$build/tests/gem_mmap_gup" --run-subtest '[]]' --dynamic-subtest '['

# ---- --device filters: no match is a skip with a warning; a malformed
# filter is reported and dropped (upstream's igt_device_filter_add)
expect "device-filter matches nothing" 77 \
	"No card matches the filter! \\[drm:/dev/dri/card99\\]" \
	"$build/selftests/core/demo_args" --device drm:/dev/dri/card99 \
	--run-subtest open-any
expect "device-filter malformed" 77 "No filter class matching \\[bogus:x\\]" \
	"$build/selftests/core/demo_args" --device 'bogus:x' \
	--run-subtest open-any
expect "device-filter bad pci" 77 "Filter not valid \\[pci:vendor=xyz\\]" \
	"$build/selftests/core/demo_args" --device 'pci:vendor=xyz' \
	--run-subtest open-any

# ---- a comma in a path QEMU is given: refused before anything is made
expect "comma in the results folder" 1 \
	"^igt-vm-matrix: error: results folder '.*/a,b' has a comma, which QEMU's options cannot take" \
	"$src/vm/igt-vm-matrix" --build "$build" --kernels 5.10 --results "$tmp/a,b"
if [[ -e $tmp/a,b ]]; then
	echo "FAIL comma in the results folder: the folder was made"
	failures=$((failures + 1))
fi

# ---- the canary: bad options refused, no headers is a reason, not an end
expect "unknown-option build-canary" 1 \
	"^build-canary: error: unknown argument '--no-such-option'" \
	"$src/vm/build-canary" --no-such-option
expect "canary-ko without a label" 1 \
	"^igt-vm-matrix: error: --canary-ko takes LABEL=FILE" \
	"$src/vm/igt-vm-matrix" --canary-ko igt_canary.ko
expect "canary-ko missing file" 1 \
	"^igt-vm-matrix: error: canary module '/nonexistent/igt_canary.ko' not found" \
	"$src/vm/igt-vm-matrix" --canary-ko sid=/nonexistent/igt_canary.ko
mkdir -p "$tmp/ckdir"
printf 'RELEASE=6.12.1-amd64\nKIND=debian\nSUITES=trixie\nPACKAGES=linux-image-6.12.1-amd64=6.12.1-1\n' \
	>"$tmp/ckdir/kernel.info"
expect "canary offline without headers" 0 \
	"canary unavailable: linux-headers-6.12.1-amd64: .*offline" \
	env IGT_VM_CACHE="$tmp/ccache" "$src/vm/build-canary" \
	--kernel "$tmp/ckdir" --offline
grep -q '^STATUS=unavailable' "$tmp/ckdir/canary/canary.info" || {
	echo "FAIL canary offline without headers: canary.info is not unavailable"
	failures=$((failures + 1))
}

# ---- QEMU missing: refused before any fetch or boot
mkdir -p "$tmp/bin"
find /usr/local/bin /usr/bin /bin -maxdepth 1 ! -type d \
	! -name 'qemu-system-*' -print0 2>/dev/null |
	xargs -0 ln -sf -t "$tmp/bin" 2>/dev/null
expect "qemu-missing igt-vm-matrix" 1 \
	"^igt-vm-matrix: error: required command 'qemu-system-x86_64' not found" \
	env PATH="$tmp/bin" "$src/vm/igt-vm-matrix" --build "$build" \
	--kernels 5.10 --results "$tmp/r-noqemu"
[[ ! -e $tmp/r-noqemu ]] || {
	echo "FAIL qemu-missing: a results folder was created"
	failures=$((failures + 1))
}

# ---- no apt source to take the Debian archive from: fetch-kernel says
# what to configure before it touches the network (made-up local URIs)
mkdir -p "$tmp/apt-none/sources.list.d" "$tmp/apt-main/sources.list.d"
printf 'Types: deb\nURIs: file:///nonexistent/igt-archive\nSuites: bookworm\nComponents: main\n' \
	>"$tmp/apt-main/sources.list.d/local.sources"
expect "no-apt-source fetch-kernel" 1 \
	"^fetch-kernel: error: no apt source of the Debian archive in .*apt-none/sources.list.* set IGT_VM_APT_URI" \
	env IGT_VM_APT_ETC="$tmp/apt-none" IGT_VM_CACHE="$tmp/cache-apt" \
	"$src/vm/fetch-kernel" --suite bookworm --package linux-image-amd64
expect "no-apt-security-source fetch-kernel" 1 \
	"^fetch-kernel: error: no apt source for a \\*-security suite .* set IGT_VM_APT_SECURITY_URI" \
	env IGT_VM_APT_ETC="$tmp/apt-main" IGT_VM_CACHE="$tmp/cache-apt" \
	"$src/vm/fetch-kernel" --suite bookworm --extra-suites bookworm-security \
	--package linux-image-amd64

# ---- no /dev/kvm: --accel kvm says so before starting QEMU
mkdir -p "$tmp/kdir"
: >"$tmp/kdir/vmlinuz"
: >"$tmp/initrd.img"
printf 'VMLINUZ=%q\n' "$tmp/kdir/vmlinuz" >"$tmp/kdir/kernel.info"
expect "no-kvm boot-guest --accel kvm" 1 \
	"^boot-guest: error: --accel kvm: /nonexistent/kvm is missing or not usable" \
	env IGT_VM_KVM_DEV=/nonexistent/kvm "$src/vm/boot-guest" \
	--kernel "$tmp/kdir" --initrd "$tmp/initrd.img" --out "$tmp/boot" \
	--no-scratch --accel kvm

# ---- two runs into one results folder
mkdir -p "$tmp/r-busy"
touch "$tmp/r-busy/.lock"
# a run holding the lock: one process, so that kill ends it
(exec 9>>"$tmp/r-busy/.lock" && flock 9 && exec sleep 60) >/dev/null 2>&1 &
lockpid=$!
for _ in $(seq 50); do
	flock -n "$tmp/r-busy/.lock" true || break
	sleep 0.1
done
expect "same-results-folder --resume while a run holds it" 1 \
	"^igt-vm-matrix: error: results folder '.*r-busy' is in use by another run" \
	"$src/vm/igt-vm-matrix" --build "$build" --kernels 5.10 \
	--results "$tmp/r-busy" --resume
expect "same-results-folder without --resume" 1 \
	"^igt-vm-matrix: error: results folder '.*r-busy' is not empty" \
	"$src/vm/igt-vm-matrix" --build "$build" --kernels 5.10 \
	--results "$tmp/r-busy"
kill "$lockpid" 2>/dev/null
wait "$lockpid" 2>/dev/null
lockpid=""

# ---- guest-side failures as the host reads them (the VM versions are in
# selftests/badinput/vm.sh, run by tools/run-tests)
boot='{"type":"boot","uname":"Linux g 6.1.0 #1 x86_64","release":"6.1.0","cmdline":"c","time":1000}'
list='{"type":"list","test":"t","subtests":["a","b","c"],"exit":0}'
start_a='{"type":"start","test":"t","subtest":"a","time":1001}'
res_a='{"type":"result","test":"t","subtest":"a","exit":0,"signal":0,"timeout":false,"time":0.1,"out":"Starting subtest: a\nSubtest a: SUCCESS (0.100s)\n","err":"","dmesg":"","truncated":false}'
start_b='{"type":"start","test":"t","subtest":"b","time":1002}'

# an oops: the job that was running is a crash, with the console excerpt
mkdir -p "$tmp/oops"
{ rec "$boot"; rec "$list"; rec "$start_a"; rec "$res_a"; rec "$start_b"; } \
	>"$tmp/oops/stream.txt"
printf '%s\n' '[    3.1] igt_guest_runner: start t b [2/3]' \
	'[    3.2] BUG: kernel NULL pointer dereference, address: 0000000000000008' \
	'[    3.2] Oops: 0000 [#1] PREEMPT SMP NOPTI' \
	'[    3.3] Kernel panic - not syncing: Fatal exception' >"$tmp/oops/console.txt"
expect "guest-oops build" 0 "1 streams, 5 lines, 5 records" \
	"$build/runner/igt_vm_results" build --out "$tmp/oops" \
	--console "$tmp/oops/console.txt" "$tmp/oops/stream.txt"
expect_result "guest-oops running job" "$tmp/oops" igt@t@b crash "Oops: 0000"
expect_result "guest-oops job before" "$tmp/oops" igt@t@a pass
expect_result "guest-oops job never started" "$tmp/oops" igt@t@c notrun

# half a line, then the guest died: the damaged record is counted, the job
# that was running is a crash where the console shows why, else a timeout
mkdir -p "$tmp/half"
{ rec "$boot"; rec "$list"; rec "$start_a"; rec "$res_a"; rec "$start_b"
  printf 'IGTVM1 {"type":"result","test":"t","subtest":"b","exit":0,"out":"Starting sub'; } \
	>"$tmp/half/stream.txt"
printf '%s\n' '[    3.1] igt_guest_runner: start t b [2/3]' \
	'[    3.2] sysrq: Trigger a crash' >"$tmp/half/console.txt"
expect "half-line build" 0 "6 lines, 5 records, 1 other lines, 1 damaged records" \
	"$build/runner/igt_vm_results" build --out "$tmp/half" \
	--console "$tmp/half/console.txt" "$tmp/half/stream.txt"
expect_result "half-line running job" "$tmp/half" igt@t@b crash "Trigger a crash"
expect_result "half-line job before" "$tmp/half" igt@t@a pass

# a hang: no result, no panic on the console: timeout, with the console tail
mkdir -p "$tmp/hang"
{ rec "$boot"; rec "$list"; rec "$start_a"; rec "$res_a"; rec "$start_b"; } \
	>"$tmp/hang/stream.txt"
printf '%s\n' '[    3.1] igt_guest_runner: start t b [2/3]' \
	'[  123.0] INFO: task t:99 blocked for more than 120 seconds.' >"$tmp/hang/console.txt"
# boot-guest's record of how the boot ended: its watchdog killed it
printf 'accel=tcg\nreason=watchdog\n' >"$tmp/hang/boot.txt"
expect "guest-hang build" 0 "1 streams" \
	"$build/runner/igt_vm_results" build --out "$tmp/hang" \
	--console "$tmp/hang/console.txt" "$tmp/hang/stream.txt"
expect_result "guest-hang running job" "$tmp/hang" igt@t@b timeout "blocked for more than"
# ... and the guest runner's own per-job timeout
res_b_to='{"type":"result","test":"t","subtest":"b","exit":-9,"signal":9,"timeout":true,"time":120.0,"out":"Starting subtest: b\n","err":"","dmesg":"","truncated":false}'
{ rec "$boot"; rec "$list"; rec "$start_b"; rec "$res_b_to"; } >"$tmp/hang/stream2.txt"
expect "guest-job-timeout build" 0 "1 streams" \
	"$build/runner/igt_vm_results" build --out "$tmp/hang2" "$tmp/hang/stream2.txt"
expect_result "guest-job-timeout job" "$tmp/hang2" igt@t@b timeout

# ---- a full results disk: a one-line error and a failing exit, never a
# results folder that looks complete
if [[ $(id -u) == 0 ]] && mkdir -p "$tmp/full" &&
   mount -t tmpfs -o size=8k tmpfs "$tmp/full" 2>/dev/null; then
	head -c 6000 /dev/zero >"$tmp/full/filler"
	expect "full-disk igt_vm_results build" 2 \
		"^igt_vm_results: writing results into .*: No space left on device" \
		"$build/runner/igt_vm_results" build --out "$tmp/full/r" \
		"$tmp/oops/stream.txt"
	umount "$tmp/full"
else
	echo "skip full-disk: needs root to mount a tmpfs"
fi

if (( failures )); then
	echo "$failures bad-input case(s) changed behaviour"
	exit 1
fi
echo "all bad-input cases hold"
