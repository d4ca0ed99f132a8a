#!/bin/bash
# SPDX-License-Identifier: MIT
#
# piglit_summary.sh FIXTURES
#
# Debian's piglit compares kernels from their results folders, as people
# run it: `piglit summary console RESULTS/5.10 RESULTS/6.1`. Given a
# folder, piglit reads results.xml first as its own JUnit flavour, so
# igt_vm_results names its JUnit file junit.xml; with a results.xml in the
# folder piglit dies, which this shows too. Skips (77) without piglit.
set -u
fixtures=$1
if ! command -v piglit >/dev/null 2>&1; then
	echo "skip: piglit is not installed (Debian package piglit, 34 MB:" \
		"apt-get install piglit)"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0
for l in 5.10 6.1; do
	mkdir -p "$T/results/$l"
	gzip -dc "$fixtures/$l.results.json.gz" >"$T/results/$l/results.json"
	# what igt_vm_results build writes next to results.json
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="gem_mmap_gup" tests="1">\n    <testcase classname="gem_mmap_gup" name="probe-calibration"/>\n  </testsuite>\n</testsuites>\n' \
		>"$T/results/$l/junit.xml"
done

(cd "$T" && piglit summary console results/5.10 results/6.1) \
	>"$T/out" 2>"$T/err"
rc=$?
# the 5.10 failures that 6.1 fixed, counted by piglit itself
fixes=$(awk '$1 == "fixes:" { print $3 }' "$T/out")
regressions=$(awk '$1 == "regressions:" { print $3 }' "$T/out")
if [ $rc = 0 ] && [ "${fixes:-0}" -gt 0 ] && [ "$regressions" = 0 ]; then
	echo "ok   piglit summary console over the folders: $fixes fixes, 0 regressions"
else
	echo "FAIL piglit summary console: exit $rc, fixes '$fixes'"
	tail -n 5 "$T/err"
	failed=1
fi
# the summary agrees with results.json on what failed on 5.10
want=$(gzip -dc "$fixtures/5.10.results.json.gz" |
	python3 -c 'import json,sys; t=json.load(sys.stdin)["tests"]; print(sum(v["result"] == "fail" for v in t.values()))')
got=$(awk '$1 == "fail:" { print $2 }' "$T/out")
[ "$want" = "$got" ] && echo "ok   piglit counts $got failures on 5.10, as results.json" ||
	{ echo "FAIL piglit counts '$got' failures on 5.10, results.json $want"; failed=1; }

# why the JUnit file is not called results.xml
cp "$T/results/5.10/junit.xml" "$T/results/5.10/results.xml"
if (cd "$T" && piglit summary console results/5.10 results/6.1) \
	>/dev/null 2>&1; then
	echo "note: this piglit reads a folder's results.xml as IGT JUnit now"
else
	echo "ok   (a folder holding results.xml still makes piglit fail)"
fi
exit $failed
