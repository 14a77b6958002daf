#!/usr/bin/env bash
# Runs the libFuzzer targets one after the other (one process each: the machine is shared) and
# prints executions, executions per second and crashes per target.
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS_PER_TARGET [target ...]   (default: every target)
# FUZZ_RUNS=N stops a target after N executions (SECONDS_PER_TARGET still caps it).
# Each target starts from its committed seeds (tests/fuzz/corpus/<target>, read only) plus the
# corpus it grew in earlier runs (BUILD_DIR/fuzz-corpus/<target>); a crash input is written to
# BUILD_DIR/fuzz-crashes/<target>-crash-<sha1> and makes the script fail at the end.
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:?build dir}; seconds=${2:?seconds per target}; shift 2
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi
mkdir -p "$build/fuzz-crashes"
failed=0
printf '%-18s %8s %12s %10s %8s\n' target seconds executions exec/s crashes
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/fuzz_$t"
  [ -x "$bin" ] || { echo "$t: $bin is missing (make build-fuzz, or make build-asan for build-asan/)"; failed=1; continue; }
  corpus="$build/fuzz-corpus/$t"; mkdir -p "$corpus"
  args=(-max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$build/fuzz-crashes/$t-")
  [ -n "${FUZZ_RUNS:-}" ] && args+=(-runs="$FUZZ_RUNS")
  [ -f "tests/fuzz/dict/$t.dict" ] && args+=(-dict="tests/fuzz/dict/$t.dict")
  log="$build/fuzz-crashes/$t.log"
  start=$(date +%s.%N)
  "$bin" "${args[@]}" "$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  end=$(date +%s.%N)
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  runs=${runs:-0}
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.0f", b-a}')
  rate=$(awk -v r="$runs" -v s="$secs" 'BEGIN{printf "%.0f", (s>0? r/s : r)}')
  crashes=0
  if [ $rc -ne 0 ]; then
    crashes=1; failed=1
    echo "--- $t failed (exit $rc), log $log:"; grep -E 'ERROR|FINDING|SUMMARY|Test unit written|runtime error' "$log" | head -5
  fi
  printf '%-18s %8s %12s %10s %8s\n' "$t" "$secs" "$runs" "$rate" "$crashes"
done
exit $failed
