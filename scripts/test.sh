#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs dependencies, then in two build
# trees (each compiled once):
#   build/      g++, RelWithDebInfo: the binary users run. Unit tests + integration tests
#               (wireguard-go labs in network namespaces, side by side; the kernel lab under
#               qemu), then a smoke run of the benchmarks (figures come from bench/).
#   build-san/  clang-14 with ASan + UBSan + libFuzzer coverage: the unit tests again under the
#               sanitizers, then every libFuzzer target replays its checked-in corpus and
#               explores for a share of FUZZ_BUDGET seconds (scripts/fuzz.sh).
# Needs root (network namespaces, wireguard-go, qemu). Ends with a table of every stage (wall
# seconds, tests passed/failed) and "tests: N passed, N failed".
#   FUZZ_BUDGET   wall seconds for fuzz exploration, all targets together (default 180)
#   CCACHE_DISABLE=1  a cold build, as on a new machine
set -uo pipefail
cd "$(dirname "$0")/.."
export FUZZ_BUDGET=${FUZZ_BUDGET:-180}
passed=0 failed=0
stage_rows=()
t_start=$SECONDS

# stage NAME CMD...: runs CMD, timed; CMD adds its tests to stage_passed / stage_failed. A stage
# that counts no tests (install, build) adds nothing when it succeeds and one failure when not.
stage() {
  local name=$1 t0=$SECONDS rc
  shift
  echo "=== $name"
  stage_passed=0 stage_failed=0
  "$@"; rc=$?
  local counted=$((stage_passed + stage_failed))
  if [ "$rc" -ne 0 ] && [ "$stage_failed" -eq 0 ]; then stage_failed=1; fi
  passed=$((passed + stage_passed)); failed=$((failed + stage_failed))
  if [ "$counted" -eq 0 ] && [ "$rc" -eq 0 ]; then
    stage_rows+=("$(printf '%-34s %6d s %7s %7s' "$name" $((SECONDS - t0)) - -)")
  else
    stage_rows+=("$(printf '%-34s %6d s %7d %7d' "$name" $((SECONDS - t0)) "$stage_passed" "$stage_failed")")
  fi
  return "$rc"
}

summary() {
  echo
  printf '%-34s %8s %7s %7s\n' stage wall passed failed
  printf '%s\n' "${stage_rows[@]}"
  printf '%-34s %6d s %7d %7d\n' total $((SECONDS - t_start)) "$passed" "$failed"
  echo "tests: $passed passed, $failed failed"
}

count_ctest() {  # LOG: adds ctest's "N tests failed out of M" to the stage's counts
  local line total nfail
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -n1)
  if [ -z "$line" ]; then stage_failed=$((stage_failed + 1)); return 1; fi
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
  nfail=$(sed -E 's/.*, ([0-9]+) tests? failed.*/\1/' <<<"$line")
  stage_passed=$((stage_passed + total - nfail)); stage_failed=$((stage_failed + nfail))
  [ "$nfail" -eq 0 ]
}

normal_tests() {
  # The labs give the daemon their own history path: the system's is never touched.
  local system_history=/var/lib/wgtrack/history.db before
  before=$(stat -c %Y "$system_history" 2>/dev/null || echo absent)
  # The unit tests keep both cores busy; then the labs, which mostly wait (on handshakes,
  # timers, a qemu guest), run side by side (the ones that need the machine to themselves hold
  # a RESOURCE_LOCK: tests/integration/CMakeLists.txt).
  ctest --test-dir build --output-on-failure -j2 -L unit 2>&1 | tee build/ctest-unit.log
  count_ctest build/ctest-unit.log
  ctest --test-dir build --output-on-failure -j8 -L integration --timeout 600 2>&1 |
    tee build/ctest-labs.log
  count_ctest build/ctest-labs.log
  if [ "$(stat -c %Y "$system_history" 2>/dev/null || echo absent)" = "$before" ]; then
    stage_passed=$((stage_passed + 1)); echo "ok - the tests left $system_history alone"
  else
    stage_failed=$((stage_failed + 1)); echo "not ok - a test wrote $system_history (give its daemon a [history] path)"
  fi
  [ "$stage_failed" -eq 0 ]
}

sanitizer_tests() {
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-san --output-on-failure -j2 -L unit 2>&1 | tee build-san/ctest.log
  count_ctest build-san/ctest.log
}

fuzz_targets() {
  local line a b
  scripts/fuzz.sh --no-build 2>&1 | tee build-san/fuzz.log
  line=$(grep -E '^fuzz: [0-9]+ passed' build-san/fuzz.log)
  [ -n "$line" ] || { stage_failed=1; return 1; }
  read -r a b <<<"$(sed -E 's/fuzz: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/' <<<"$line")"
  stage_passed=$a stage_failed=$b
  [ "$b" -eq 0 ]
}

bench_smoke() {
  if build/bench/wgtrack_bench --benchmark_min_time=0.01 >build/bench-smoke.log 2>&1; then
    echo "ok - benchmarks run"; stage_passed=1
  else
    echo "not ok - benchmarks"; tail -n 20 build/bench-smoke.log; return 1
  fi
}

if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/test.sh: the labs need root (network namespaces, wireguard-go, qemu); run with sudo" >&2
  exit 2
fi

stage "install dependencies" scripts/install-deps.sh all || { summary; exit 1; }
if stage "build (g++)" scripts/build.sh; then
  stage "unit + integration tests" normal_tests
  stage "benchmark smoke run" bench_smoke
fi
if stage "build (clang-14 ASan+UBSan+fuzz)" scripts/build.sh --sanitize; then
  stage "unit tests under ASan + UBSan" sanitizer_tests
  stage "fuzz: corpus replay + exploration" fuzz_targets
fi
summary
[ "$failed" -eq 0 ]
