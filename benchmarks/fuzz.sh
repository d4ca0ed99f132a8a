#!/bin/bash
# Fuzzing benchmark: each libFuzzer target of fuzz/ for longer than the
# test command's bounded run (default 300 s each), printing executions per
# second, edges covered out of the target's instrumented edges, features
# and the size of the grown corpus.
#
#   benchmarks/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# The grown corpus and any crash-* file stay in FUZZ_WORK (default
# results/fuzz-<timestamp>); copy what is worth keeping, small, into
# fuzz/corpus/TARGET/. FUZZ_SEED picks the seed (default: the time, so
# that repeated runs explore differently; set it to repeat one).
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-300}
shift || true
export FUZZ_WORK=${FUZZ_WORK:-results/fuzz-$(date +%Y%m%d-%H%M%S)}
export FUZZ_SEED=${FUZZ_SEED:-$(date +%s)}
mkdir -p "$FUZZ_WORK"
echo "fuzz benchmark: $secs s per target, seed $FUZZ_SEED, work $FUZZ_WORK"
fuzz/run.sh "$secs" "$@"
