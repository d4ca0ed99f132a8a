#!/bin/bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a
# bounded time from its checked-in seed corpus, with a fixed seed so a run
# can be repeated. Any crash, sanitizer report, leak or timeout fails.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# FUZZ_BUILD_DIR (default build-fuzz) is the build folder; FUZZ_SEED (1)
# the seed; FUZZ_WORK (a temporary folder) receives the grown corpus and
# any crash-* file (kept when something fails, its path printed).
# Without arguments: every target, 15 s each (tools/run-tests).
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-15}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] ||
	targets=(fuzz_vma fuzz_core_opts fuzz_stream fuzz_results_text)
build=${FUZZ_BUILD_DIR:-build-fuzz}
seed=${FUZZ_SEED:-1}

if ! command -v clang >/dev/null; then
	echo "fuzz/run.sh: clang is missing (tools/setup-debian.sh installs it)" >&2
	exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzzing=true -Dbuildtype=debugoptimized \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C "$build" $(printf 'fuzz/%s ' "${targets[@]}") >/dev/null

work=${FUZZ_WORK:-$(mktemp -d /tmp/igt-fuzz-run.XXXXXX)}
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
rc=0
for t in "${targets[@]}"; do
	mkdir -p "$work/$t"
	log=$work/$t.log
	# -close_fd_mask=3: the targets' own output is noise; libFuzzer and
	# the sanitizers still report on a private copy of stderr
	if "$build/fuzz/$t" -seed="$seed" -max_total_time="$secs" \
		-timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-close_fd_mask=3 -print_final_stats=1 \
		-artifact_prefix="$work/$t-" \
		"$work/$t" "fuzz/corpus/$t" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
		cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
		ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1)
		edges=$(grep -oE '[0-9]+ inline 8-bit counters' "$log" |
			head -1 | cut -d' ' -f1)
		corp=$(find "$work/$t" -type f | wc -l)
		echo "fuzz: $t: ok, $runs runs in ${secs} s, $eps exec/s," \
			"${cov#cov: } of $edges edges covered," \
			"${ft#ft: } features, corpus $corp"
	else
		rc=1
		echo "fuzz: $t: FAILED, see $log" >&2
		grep -E "ERROR|runtime error|SUMMARY|Test unit written" \
			"$log" | head -5 >&2
	fi
done
if [ $rc = 0 ] && [ -z "${FUZZ_WORK:-}" ]; then
	rm -rf "$work"
fi
exit $rc
