#!/usr/bin/env bash
# Installs what wgtrack needs, builds it, and runs its main job on this host's WireGuard
# interfaces. When the host has none, it builds a small demo lab instead (two network
# namespaces joined by veth, wireguard-go on both ends, a few peers, real traffic), shows it,
# and removes it again. Needs root for apt-get and for the lab.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/run.sh: needs root (apt-get; reading WireGuard needs CAP_NET_ADMIN); run with sudo" >&2
  exit 2
fi
scripts/install-deps.sh build
scripts/build.sh
WGTRACK=$PWD/build/wgtrack

if [ -n "$("$WGTRACK" show --json | jq -r '.interfaces[].name' 2>/dev/null)" ]; then
  echo "== wgtrack show (this host's WireGuard interfaces)"
  exec "$WGTRACK" show
fi

echo "== This host has no WireGuard interface: building a demo lab (namespaces + wireguard-go)."
# shellcheck source=../tests/lab/lab.sh
source tests/lab/lab.sh
lab_init
lab_ns_add hub; lab_ns_add site
lab_veth hub vh site vs
lab_addr hub vh 192.0.2.1/24;  lab_addr hub vh 2001:db8:1::1/64
lab_addr site vs 192.0.2.2/24; lab_addr site vs 2001:db8:1::2/64
lab_wg_add hub H; lab_wg_add site S
lab_pair --keepalive 5 "$(lab_if H)" "$(lab_if S)" "192.0.2.2:$(lab_port "$(lab_if S)")"
lab_add_fake_peers "$(lab_if H)" 3
lab_ping hub "$(lab_tun4 "$(lab_if S)")" >/dev/null
echo "== wgtrack show, inside the hub's namespace ($(lab_ns hub)): one live peer, three that never connected"
lab_exec hub "$WGTRACK" show "$(lab_if H)"
echo
echo "== the same as JSON (wgtrack show --json)"
lab_exec hub "$WGTRACK" show --json "$(lab_if H)" | jq .
echo "== demo lab removed again"
