#!/usr/bin/env bash
# Every libFuzzer target (fuzz/*_fuzz.cc, built in the sanitizer tree build-san/ by
# scripts/build.sh --sanitize), in two steps:
#   1. regression: each target runs every input of its checked-in corpus fuzz/corpus/<target>/
#      once (golden fixtures and inputs that once crashed);
#   2. exploration: two targets at a time, for an equal share of BUDGET wall seconds (at most
#      60 s each, at least 10), so the stage's time stays bounded however many targets there are.
# New inputs go to a scratch corpus in build-san/corpus/ so the repository stays clean; a crash
# leaves its reproducer in build-san/artifacts/ and fails.
#   scripts/fuzz.sh [--no-build] [BUDGET]   (default $FUZZ_BUDGET, else 180)
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
if [ "${1:-}" = --no-build ]; then build=0; shift; fi
budget=${1:-${FUZZ_BUDGET:-180}}
BUILD_DIR=${BUILD_DIR:-build-san}
[ "$build" -eq 0 ] || BUILD_DIR=$BUILD_DIR scripts/build.sh --sanitize
mkdir -p "$BUILD_DIR/artifacts" "$BUILD_DIR/fuzz-logs"
targets=("$BUILD_DIR"/fuzz/*_fuzz)
[ -x "${targets[0]}" ] || { echo "fuzz: no targets in $BUILD_DIR/fuzz"; echo "fuzz: 0 passed, 1 failed"; exit 1; }
n=${#targets[@]}
secs=$((2 * budget / n))
[ "$secs" -le 60 ] || secs=60
[ "$secs" -ge 10 ] || secs=10
opts=(-timeout=10 -rss_limit_mb=2048)
passed=0 failed=0

echo "fuzz: $n targets; corpus replay, then ${secs}s each, two at a time"
for bin in "${targets[@]}"; do
  name=$(basename "$bin")
  inputs=(fuzz/corpus/"$name"/*)
  [ -e "${inputs[0]}" ] || { echo "not ok - $name: no checked-in corpus in fuzz/corpus/$name"; failed=$((failed + 1)); continue; }
  if "$bin" "${opts[@]}" -artifact_prefix="$BUILD_DIR/artifacts/$name-" "${inputs[@]}" \
       >"$BUILD_DIR/fuzz-logs/$name.replay.log" 2>&1; then
    echo "ok - $name: replays its ${#inputs[@]} corpus inputs"
    passed=$((passed + 1))
  else
    echo "not ok - $name: a corpus input fails (see $BUILD_DIR/fuzz-logs/$name.replay.log):"
    tail -n 30 "$BUILD_DIR/fuzz-logs/$name.replay.log"
    failed=$((failed + 1))
  fi
done

explore() {  # BIN: one bounded fuzzing run; prints its TAP line
  local bin=$1 name log
  name=$(basename "$bin"); log="$BUILD_DIR/fuzz-logs/$name.log"
  mkdir -p "$BUILD_DIR/corpus/$name"
  if "$bin" "${opts[@]}" -max_total_time="$secs" -print_final_stats=1 \
       -artifact_prefix="$BUILD_DIR/artifacts/$name-" "$BUILD_DIR/corpus/$name" "fuzz/corpus/$name" \
       >"$log" 2>&1; then
    echo "ok - $name: $(awk '/^stat::number_of_executed_units/ { print $2 }' "$log") executions in ${secs}s"
  else
    echo "not ok - $name (see $log):"
    tail -n 30 "$log"
  fi
}
running=0
for bin in "${targets[@]}"; do
  if [ "$running" -ge 2 ]; then wait -n; running=$((running - 1)); fi
  explore "$bin" >"$BUILD_DIR/fuzz-logs/$(basename "$bin").tap" &
  running=$((running + 1))
done
wait
for bin in "${targets[@]}"; do
  tap="$BUILD_DIR/fuzz-logs/$(basename "$bin").tap"
  cat "$tap"
  if grep -q '^ok' "$tap"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
