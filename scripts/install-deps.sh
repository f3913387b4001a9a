#!/usr/bin/env bash
# Installs everything wgtrack needs to build, test, fuzz and run its labs on Debian bookworm.
# Idempotent: apt-get skips what is already there. Only Debian packages, --no-install-recommends
# (wireguard-tools *recommends* a whole kernel).
#
# Usage: scripts/install-deps.sh [build|test|all]   (default: all)
#   build  compiler, libraries, and what `wgtrack` needs at run time (incl. the demo lab)
#   test   build + test tools, fuzzing toolchain, kernel lab (qemu)
set -euo pipefail
what=${1:-all}
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo

build_pkgs=(
  g++ cmake ninja-build pkgconf ccache lld git
  # Boost pinned to 1.81: the unversioned libboost-*-dev are 1.74 and conflict with it.
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libc-ares-dev libsystemd-dev
  libspdlog-dev libfmt-dev libcli11-dev libsqlite3-dev libdeflate-dev
  # the demo lab: userspace WireGuard in network namespaces (ping: the lab checks its tunnels)
  iproute2 wireguard-tools wireguard-go nftables iputils-ping
  socat  # the demo brings its dashboard from the lab's namespace to this host's loopback
)
test_pkgs=(
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  jq curl dnsmasq-base procps psmisc
  prometheus  # promtool: `promtool check metrics` on the /metrics golden files
  influxdb influxdb-client  # influx_http output against a real influxd 1.x (integration test)
  chromium  # the dashboard's end-to-end test (driven by playwright-core from tests/e2e)
  wrk  # bench/scrape.sh: scrapes per second against /metrics
  # kernel lab: boots a stock Debian kernel under qemu (the kernel itself is only downloaded)
  qemu-system-x86 cpio kmod xz-utils
)
case "$what" in
  build) pkgs=("${build_pkgs[@]}") ;;
  test|all) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

# Node.js for the dashboard's browser test: any node >= 18 will do (the machine's own, or
# Debian's nodejs + npm).
if [ "$what" != build ] && ! command -v node >/dev/null 2>&1; then pkgs+=(nodejs npm); fi

# playwright-core (pinned in tests/e2e/package-lock.json; it drives Debian's chromium, no
# browser download), after the packages.
e2e_modules() {
  [ "$what" = build ] && return 0
  local dir; dir="$(cd "$(dirname "$0")/.." && pwd)/tests/e2e"
  [ -d "$dir/node_modules/playwright-core" ] && return 0
  echo "install-deps: npm ci in tests/e2e"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
}

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages present"
  e2e_modules
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
e2e_modules
echo "install-deps: done"
