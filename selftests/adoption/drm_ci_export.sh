#!/bin/bash
# SPDX-License-Identifier: MIT
#
# drm_ci_export.sh IGT_VM_RESULTS FIXTURES EXPECT
#
# Exports the four kernels' fixture results in drm-ci's format and reads
# the files back (drm_ci_read.py): every line parses as drm-ci reads it,
# every failure listed is a failing result of that driver in that run
# under an expectation that says "fail", and every such result is listed.
set -u
tool=$1 fixtures=$2 expect=$3
here=$(dirname "$0")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
dirs=()
for l in 5.10 6.1 6.12 sid; do
	mkdir -p "$T/run/$l"
	gzip -dc "$fixtures/$l.results.json.gz" >"$T/run/$l/results.json"
	dirs+=("$T/run/$l")
done
"$tool" export --format drm-ci --expect "$expect" --out "$T/xfails" \
	"${dirs[@]}" || { echo "FAIL export: exit $?"; exit 1; }
python3 "$here/drm_ci_read.py" "$T/xfails" "$expect" "${dirs[@]}" || exit 1

# bad input
"$tool" export --format piglit --expect "$expect" --out "$T/x" "${dirs[0]}" \
	2>"$T/e"
[ $? = 2 ] && grep -q 'only format' "$T/e" || { echo "FAIL --format piglit"; exit 1; }
echo "ok   unknown format refused"
# a failure no expectation explains is reported and left out (exit 1)
printf '5.10\t-\tprobe-calibration\tpass\t-\tall\n' >"$T/pass-only.txt"
"$tool" export --format drm-ci --expect "$T/pass-only.txt" --out "$T/y" \
	"${dirs[0]}" 2>"$T/e"
rc=$?
if [ $rc = 1 ] && grep -q '^not exported: gem_mmap_gup@dumb-vmsplice@vgem-card0 Fail' "$T/e" &&
	! grep -q ',Fail' "$T"/y/*-fails.txt; then
	echo "ok   unexplained failures reported, not exported"
else
	echo "FAIL unexplained failures: rc $rc"
	exit 1
fi
