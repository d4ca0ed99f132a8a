#!/bin/bash
# SPDX-License-Identifier: MIT
#
# merge_split.sh IGT_VM_RESULTS FIXTURES EXPECT CONFIG
#
# A run split over machines gives the matrix of one run: the four kernels'
# results (fixtures shrunk from a real 4-kernel run of vm/igt-vm-matrix)
# are laid out as the main job leaves them (RESULTS/LABEL/) and as four
# single-kernel CI jobs leave them (one folder each), then merged.
set -u
tool=$1 fixtures=$2 expect=$3 config=$4
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

labels=(5.10 6.1 6.12 sid)
for l in "${labels[@]}"; do
	mkdir -p "$T/main/$l" "$T/job-$l/$l"
	gzip -dc "$fixtures/$l.results.json.gz" >"$T/main/$l/results.json"
	cp "$T/main/$l/results.json" "$T/job-$l/$l/results.json"
done

# the main job before merge existed: matrix over its kernel folders
"$tool" matrix --html "$T/direct.html" --expect "$expect" \
	"$T"/main/{5.10,6.1,6.12,sid}/ >"$T/direct.md" 2>"$T/direct.err"
direct_rc=$?
# the main job now (vm/igt-vm-matrix): merge in place
"$tool" merge --out "$T/main" --config "$config" --html "$T/main/matrix.html" \
	--expect "$expect" "$T"/main/{5.10,6.1,6.12,sid}/ \
	>"$T/main.md" 2>"$T/main.err"
main_rc=$?
# four single-kernel jobs, handed over in another order
"$tool" merge --out "$T/merged" --config "$config" \
	--html "$T/merged/matrix.html" --expect "$expect" \
	"$T/job-sid" "$T/job-6.1" "$T/job-5.10" "$T/job-6.12" \
	>"$T/merged.md" 2>"$T/merged.err"
merged_rc=$?

[ -s "$T/main.md" ] && grep -q '^| ' "$T/main.md" &&
	ok "main job's matrix printed" || bad "main job's matrix is empty"
for f in md err; do
	cmp -s "$T/main.$f" "$T/merged.$f" &&
		ok "merged $f = main job's $f" ||
		{ bad "merged $f differs"; diff "$T/main.$f" "$T/merged.$f"; }
	cmp -s "$T/main.$f" "$T/direct.$f" &&
		ok "main job's $f = matrix command's $f" ||
		{ bad "main $f differs from matrix's"; diff "$T/direct.$f" "$T/main.$f"; }
done
cmp -s "$T/main/matrix.html" "$T/merged/matrix.html" &&
	cmp -s "$T/main/matrix.html" "$T/direct.html" &&
	ok "html identical" || bad "html differs"
[ "$main_rc" = "$merged_rc" ] && [ "$main_rc" = "$direct_rc" ] &&
	ok "exit codes equal ($main_rc)" ||
	bad "exit codes: matrix $direct_rc, main $main_rc, merged $merged_rc"
for l in "${labels[@]}"; do
	cmp -s "$T/merged/$l/results.json" "$T/job-$l/$l/results.json" ||
		bad "$l not gathered under --out"
done
ok "kernels gathered under --out"
# columns follow the kernel set, not the order the runs were given
head -n 1 "$T/merged.md" | grep -q '5\.10.*6\.1 .*6\.12.*sid' &&
	ok "columns in kernel-set order" ||
	bad "columns: $(head -n 1 "$T/merged.md")"

# bad input: a clear error, nothing overwritten
"$tool" merge --out "$T/dup" "$T/job-6.1" "$T/main" >/dev/null 2>"$T/e"
rc=$?
[ $rc = 2 ] && grep -q 'kernel 6.1 is in both' "$T/e" && [ ! -e "$T/dup/6.1" ] &&
	ok "a kernel in two runs is refused" || bad "duplicate kernel: rc $rc: $(cat "$T/e")"
mkdir -p "$T/empty"
"$tool" merge --out "$T/x" "$T/empty" >/dev/null 2>"$T/e"
rc=$?
[ $rc = 2 ] && grep -q 'holds no kernel' "$T/e" &&
	ok "a run without results is refused" || bad "empty run: rc $rc"
echo keep >"$T/merged/sid/mine.txt"
"$tool" merge --out "$T/merged" "$T/job-sid" >/dev/null 2>"$T/e"
rc=$?
[ $rc = 2 ] && grep -q 'exists: not copying' "$T/e" &&
	[ -f "$T/merged/sid/mine.txt" ] &&
	ok "an existing kernel folder is not overwritten" ||
	bad "overwrite: rc $rc"

[ $failed = 0 ]
