#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (+ASan/UBSan) and runs each for a bounded time,
# seeded from fuzz/corpus/<target>/ (golden fixtures). New inputs go to a scratch corpus so the
# repository stays clean; a crash leaves its reproducer in build-fuzz/artifacts/ and fails.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
BUILD_DIR=${BUILD_DIR:-build-fuzz}
CC=clang-14 CXX=clang++-14 cmake -S . -B "$BUILD_DIR" -G Ninja -DWGTRACK_FUZZ=ON \
  -DWGTRACK_TESTS=OFF -DWGTRACK_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR"
mkdir -p "$BUILD_DIR/artifacts"
passed=0 failed=0
for bin in "$BUILD_DIR"/fuzz/*_fuzz; do
  name=$(basename "$bin")
  scratch="$BUILD_DIR/corpus/$name"
  mkdir -p "$scratch"
  echo "fuzz: $name for ${secs}s"
  if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$BUILD_DIR/artifacts/$name-" "$scratch" "fuzz/corpus/$name" \
       >"$BUILD_DIR/$name.log" 2>&1; then
    echo "ok - $name: $(grep -E '^stat::number_of_executed_units' "$BUILD_DIR/$name.log" | awk '{print $2}') executions"
    passed=$((passed + 1))
  else
    echo "not ok - $name (see $BUILD_DIR/$name.log):"
    tail -n 30 "$BUILD_DIR/$name.log"
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
