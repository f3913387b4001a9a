#!/usr/bin/env bash
# Installs what wgtrack needs, builds it, and runs its main job: the daemon in the foreground
# on this host's WireGuard interfaces, printing events as they happen (config: $WGTRACK_CONFIG,
# default /etc/wgtrack.conf). When the host has none, it runs the daemon on a demo lab
# instead (scripts/demo.sh: two network namespaces, wireguard-go, a peer whose path fails and
# heals every minute), which Ctrl-C removes again. Needs root for apt-get and for the lab.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/run.sh: needs root (apt-get; reading WireGuard needs CAP_NET_ADMIN); run with sudo" >&2
  exit 2
fi
scripts/install-deps.sh build
scripts/build.sh
WGTRACK=$PWD/build/wgtrack

# WireGuard interfaces of this network namespace: kernel ones, and userspace ones whose UAPI
# socket belongs to an interface that exists here (the socket directory is shared by all
# namespaces).
local_interfaces() {
  ip -o link show type wireguard 2>/dev/null | awk -F': ' '{ print $2 }'
  for s in /var/run/wireguard/*.sock; do
    [ -S "$s" ] || continue
    n=$(basename "$s" .sock)
    ip link show dev "$n" >/dev/null 2>&1 && echo "$n"
  done
}

if [ -n "$(local_interfaces)" ]; then
  CONFIG=${WGTRACK_CONFIG:-/etc/wgtrack.conf}
  echo "== wgtrack: watching this host's WireGuard interfaces ($(local_interfaces | tr '\n' ' '))"
  echo "== config: $CONFIG (missing = defaults; see packaging/wgtrack.conf.example). Ctrl-C stops."
  "$WGTRACK" show
  exec "$WGTRACK" run -c "$CONFIG"
fi

echo "== This host has no WireGuard interface: running the daemon on a demo lab instead."
exec scripts/demo.sh --wgtrack "$WGTRACK"
