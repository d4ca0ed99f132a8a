#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run_core_tests.sh BUILD_DIR EXPECTED_DIR
#
# Runs the core/ demo binaries with the IGT 2.0 command-line protocol and
# compares their stdout, stderr and exit code with expected/NAME.out,
# expected/NAME.err (absent: must be empty) and the code given per case.
# The expectations are written from the protocol notes; run-dependent
# parts (version, seed, times, pids, stack frames, paths) are normalized.

B=$1
E=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0
total=0

norm() {
	sed -E \
	 -e 's/IGT-Version: 2\.0-[^ ]+ \([a-z0-9_]+\) \(Linux: [^ ]+ [^ ]+\)$/IGT-Version: 2.0-X (ARCH) (Linux: R M)/' \
	 -e 's/Using IGT_SRANDOM=[0-9]+ for randomisation$/Using IGT_SRANDOM=N for randomisation/' \
	 -e 's/drmtest\.c:[0-9]+/drmtest.c:N/g' \
	 -e 's/\([0-9]+\.[0-9]{3}s\)/(T.TTTs)/g' \
	 -e 's/\(((demo|kmsg)_[a-z]+):[0-9]+\)/(\1:PID)/g' \
	 -e 's#file [^ ]*/([a-z_]+\.c):#file \1:#g' \
	 -e 's#^SUB ([^ ]+) [^ ]*/([a-z_]+\.c):#SUB \1 \2:#' \
	 -e '/#[0-9]+ \[.*\]$/d' \
	 -e 's/__real_main[0-9]+/__real_main/g' \
	 -e 's#^[^ ]*/(demo_[a-z]+): unrecognized#\1: unrecognized#' \
	 -e 's/\[IGT\] (demo_[a-z]+)\[[0-9]+\]/[IGT] \1[PID]/'
}

compare() {
	# compare NAME KIND FILE
	exp="$E/$1.$2"
	norm < "$3" > "$T/got"
	if [ -f "$exp" ]; then
		cp "$exp" "$T/exp"
	else
		: > "$T/exp"
	fi
	if ! diff -u "$T/exp" "$T/got" > "$T/diff"; then
		echo "FAIL $1: $2 differs"
		cat "$T/diff"
		return 1
	fi
	return 0
}

# check NAME RC CMD... (CMD runs in the build dir; env assignments allowed)
check() {
	name=$1
	want=$2
	shift 2
	total=$((total + 1))
	(cd "$B" && env "$@") > "$T/out" 2> "$T/err"
	rc=$?
	ok=1
	compare "$name" out "$T/out" || ok=0
	compare "$name" err "$T/err" || ok=0
	if [ "$rc" != "$want" ]; then
		echo "FAIL $name: exit code $rc, expected $want"
		ok=0
	fi
	if [ $ok = 1 ]; then
		echo "ok   $name"
	else
		failed=$((failed + 1))
	fi
}

# raw_has LINE: the last case's raw stdout has exactly this line
raw_has() {
	total=$((total + 1))
	if grep -qxF "$1" "$T/out"; then
		echo "ok   raw line: $1"
	else
		echo "FAIL raw line missing: $1"
		failed=$((failed + 1))
	fi
}

# kmsg_check NAME RC CMD...: the [IGT] records CMD wrote to /dev/kmsg
kmsg_check() {
	name=$1
	want=$2
	shift 2
	total=$((total + 1))
	"$B/kmsg_tail" "$@" > "$T/kmsg" 2>&1
	rc=$?
	if [ $rc = 3 ]; then
		echo "skip $name: /dev/kmsg not usable"
	elif compare "$name" txt "$T/kmsg" && [ $rc = "$want" ]; then
		echo "ok   $name"
	else
		echo "FAIL $name (exit code $rc, expected $want)"
		failed=$((failed + 1))
	fi
}

# runner-like environment unless a case says otherwise
unset IGT_DEVICE IGT_LOG_LEVEL IGT_SRANDOM IGT_SENTINEL_ON_STDERR
export IGT_PLAIN_OUTPUT=1

# listing and documentation
check list 0 ./demo_basic --list-subtests
check testlist 0 ./demo_basic --show-testlist
check list_first_wins 0 ./demo_basic --list-subtests --run-subtest pass
check run_first_wins 0 ./demo_basic --run-subtest pass --list-subtests
check describe 0 ./demo_basic --describe
check describe_pat 0 ./demo_basic '--describe=dyn*'
check describe_group 0 ./demo_fixture --describe
check describe_nomatch 79 ./demo_basic --describe=zzz
check help_description 0 ./demo_basic --help-description
check version 0 ./demo_basic --version
check help 0 ./demo_basic --help
check bad_option 79 ./demo_basic --no-such-option

# full run with the runner's sentinel copies on stderr
check full 98 IGT_SENTINEL_ON_STDERR=1 ./demo_basic

# subtest selection
check glob_negate 0 ./demo_basic --run-subtest '*,!basic*,!dyn*,!fail,!crash'
check glob_set 0 ./demo_basic --run-subtest 'basic\-on[a-z],pas?'
check glob_last_wins 0 ./demo_basic --run-subtest '!pass,pass'
check glob_nomatch 79 ./demo_basic --run-subtest 'nosuch*'
check crash 139 ./demo_basic --run-subtest 'crash,after-crash'
check dynamic_select 0 ./demo_basic --run-subtest 'dyn-[^a]*' \
	--dynamic-subtest 'o*'
check dynamic_fail 98 ./demo_basic --run-subtest dyn-mixed \
	--dynamic-subtest 'bad*'
check dynamic_none 77 ./demo_basic --run-subtest dyn-pass \
	--dynamic-subtest none
check debug 0 ./demo_basic --debug --run-subtest skip,pass
check log_level_warn 0 IGT_LOG_LEVEL=warn ./demo_basic --run-subtest pass

# fixtures
check fixture_skip 0 DEMO_FIXTURE=skip ./demo_fixture
raw_has 'Subtest in-group-a: SKIP (0.000s)'
check fixture_fail 98 DEMO_FIXTURE=fail ./demo_fixture
raw_has 'Subtest in-group-b: FAIL (0.000s)'
check allskip 77 ./demo_allskip
raw_has 'Subtest second: SKIP (0.000s)'
check allskip_list 0 ./demo_allskip --list-subtests

# simple tests
check simple_pass 0 ./demo_simple
check simple_skip 77 DEMO_MODE=skip ./demo_simple
check simple_fail 98 DEMO_MODE=fail ./demo_simple
check simple_list 79 ./demo_simple --list-subtests
check simple_testlist 0 ./demo_simple --show-testlist
check simple_run_subtest 79 ./demo_simple --run-subtest foo

# names, options, devices
check invalid_name 0 ./demo_invalid
check args_ok 0 ./demo_args -n 3 --run-subtest count
check args_bad 79 ./demo_args --count 0 --run-subtest count
check filter_env 0 IGT_DEVICE='drm:/dev/dri/card7;pci:vendor=intel,card=1' \
	./demo_args --run-subtest filters
check filter_opt_wins 0 IGT_DEVICE=drm:/dev/dri/card7 ./demo_args \
	--device sys:/sys/devices/none --run-subtest filters
check filter_bad 0 ./demo_args --device bogus:xyz \
	--device pci:colour=red --run-subtest filters
check filter_nomatch 77 ./demo_args --device drm:/dev/dri/card99 \
	--run-subtest open-any
if [ ! -e /dev/dri ]; then
	check no_device 77 ./demo_args --run-subtest open-vgem
fi

# --hook (igt_runner passes it to every binary), --help-hook: the
# hook's output lands between the test's own lines, in order
H='echo "hook $IGT_HOOK_EVENT [$IGT_HOOK_TEST_FULLNAME]'
H="$H"' [$IGT_HOOK_TEST|$IGT_HOOK_SUBTEST|$IGT_HOOK_DYN_SUBTEST]'
H="$H"' [$IGT_HOOK_RESULT] [$IGT_HOOK_KMOD_UNBIND_MODULE_NAME]"'
check hook_all 98 ./demo_basic --run-subtest 'pass,skip,fail,dyn-mixed' \
	--hook "$H"
check hook_events 0 ./demo_basic --run-subtest 'pass,dyn-pass' \
	--hook 'post-subtest,post-test:echo "hook $IGT_HOOK_EVENT: $IGT_HOOK_RESULT"' \
	--hook 'pre-test,pre-dyn-subtest:echo "second hook: $IGT_HOOK_EVENT"'
check hook_star_colon 0 ./demo_basic --run-subtest pass \
	--hook '*:echo "a:b $IGT_HOOK_EVENT"'
check hook_simple 0 ./demo_simple --hook "$H"
check hook_fixture_skip 0 DEMO_FIXTURE=skip ./demo_fixture --hook "$H"
check hook_bad_event 79 ./demo_basic --hook 'pre-everything:echo no'
check hook_empty_event 79 ./demo_basic --hook 'pre-test,:echo no'
check hook_list 0 ./demo_basic --list-subtests --hook 'echo never'
check help_hook 0 ./demo_basic --help-hook

# --trace-on-oops turns the kernel's ftrace dump on for the run and puts
# the old value back (needs a writable /proc/sys: otherwise only accepted)
F=/proc/sys/kernel/ftrace_dump_on_oops
check trace_on_oops_accepted 0 ./demo_basic --trace-on-oops --run-subtest pass
total=$((total + 1))
before=$(cat "$F" 2>/dev/null)
# writing the value it has is the only harmless way to ask (a container's
# root may be refused)
if [ -n "$before" ] && (echo "$before" > "$F") 2>/dev/null; then
	during=$(cd "$B" && ./demo_basic --trace-on-oops --run-subtest pass \
		--hook "pre-subtest:echo during \$(cat $F)" | sed -n 's/^during //p')
	after=$(cat "$F")
	if [ "$during" = 1 ] && [ "$after" = "$before" ]; then
		echo "ok   trace_on_oops (during $during, restored $after)"
	else
		echo "FAIL trace_on_oops: before $before, during '$during', after $after"
		failed=$((failed + 1))
	fi
else
	echo "skip trace_on_oops: $F cannot be written here"
fi

# bold result lines on a TTY, plain with IGT_PLAIN_OUTPUT (needs script(1))
if command -v script > /dev/null 2>&1; then
	esc=$(printf '\033')
	total=$((total + 2))
	(cd "$B" && env -u IGT_PLAIN_OUTPUT script -qec \
		"./demo_basic --run-subtest pass" /dev/null) 2>&1 |
		tr -d '\r' > "$T/tty"
	if grep -q "^${esc}\[1mSubtest pass: SUCCESS ([0-9.]*s)${esc}\[0m\$" \
		"$T/tty"; then
		echo "ok   tty_bold"
	else
		echo "FAIL tty_bold"
		failed=$((failed + 1))
	fi
	(cd "$B" && script -qec "./demo_basic --run-subtest pass" \
		/dev/null) 2>&1 | tr -d '\r' > "$T/tty"
	if grep -q '^Subtest pass: SUCCESS ([0-9.]*s)$' "$T/tty"; then
		echo "ok   tty_plain"
	else
		echo "FAIL tty_plain"
		failed=$((failed + 1))
	fi
fi

# /dev/kmsg records (needs a writable and readable /dev/kmsg)
kmsg_check kmsg 0 "$B/demo_basic" --run-subtest 'pass,skip,dyn-pass'
kmsg_check kmsg_fixture 77 "$B/demo_allskip"
kmsg_check kmsg_list 0 "$B/demo_basic" --list-subtests

echo "$((total - failed))/$total passed"
[ $failed = 0 ]
