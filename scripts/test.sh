#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs dependencies, builds, then runs
#   1. unit tests + integration tests (wireguard-go labs in network namespaces, the kernel lab
#      under qemu) from the normal build,
#   2. unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer,
#   3. every libFuzzer target for FUZZ_SECONDS (default 60) each,
#   4. a smoke run of the benchmarks (they must keep working; figures come from bench/).
# Needs root (network namespaces, wireguard-go, qemu). Ends with "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
passed=0 failed=0
steps=()

step() {  # step NAME CMD... : runs a step, records its outcome
  local name=$1; shift
  echo "=== $name"
  if "$@"; then steps+=("ok - $name"); else steps+=("not ok - $name"); return 1; fi
}

count_ctest() {  # adds ctest's "N tests failed out of M" to the totals
  local log=$1 line total nfail
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n1)
  if [ -z "$line" ]; then failed=$((failed + 1)); return; fi
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
  nfail=$(sed -E 's/.*, ([0-9]+) tests? failed.*/\1/' <<<"$line")
  passed=$((passed + total - nfail)); failed=$((failed + nfail))
}

if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/test.sh: the labs need root (network namespaces, wireguard-go, qemu); run with sudo" >&2
  exit 2
fi

step "install dependencies" scripts/install-deps.sh all || exit 1
step "build" scripts/build.sh || { echo "tests: 0 passed, 1 failed"; exit 1; }

echo "=== unit + integration tests"
# The labs give the daemon their own history path: the system's is never touched.
system_history=/var/lib/wgtrack/history.db
history_before=$(stat -c %Y "$system_history" 2>/dev/null || echo absent)
ctest --test-dir build --output-on-failure -j2 --timeout 600 2>&1 | tee build/ctest.log
count_ctest build/ctest.log
if [ "$(stat -c %Y "$system_history" 2>/dev/null || echo absent)" = "$history_before" ]; then
  passed=$((passed + 1)); echo "ok - the tests left $system_history alone"
else
  failed=$((failed + 1)); echo "not ok - a test wrote $system_history (give its daemon a [history] path)"
fi

echo "=== unit tests under ASan + UBSan"
if BUILD_DIR=build-asan scripts/build.sh -DWGTRACK_SANITIZE=ON -DWGTRACK_BENCH=OFF; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j2 -L unit 2>&1 | tee build-asan/ctest.log
  count_ctest build-asan/ctest.log
else
  failed=$((failed + 1))
fi

echo "=== fuzzing (${FUZZ_SECONDS}s per target)"
scripts/fuzz.sh "$FUZZ_SECONDS" 2>&1 | tee build/fuzz.log
fp=$(grep -E '^fuzz: [0-9]+ passed' build/fuzz.log | sed -E 's/fuzz: ([0-9]+) passed, ([0-9]+) failed/\1 \2/')
if [ -n "$fp" ]; then read -r a b <<<"$fp"; passed=$((passed + a)); failed=$((failed + b)); else failed=$((failed + 1)); fi

echo "=== benchmark smoke run"
if build/bench/wgtrack_bench --benchmark_min_time=0.01 >build/bench-smoke.log 2>&1; then
  passed=$((passed + 1)); echo "ok - benchmarks run"
else
  failed=$((failed + 1)); echo "not ok - benchmarks"; tail -n 20 build/bench-smoke.log
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
