#!/usr/bin/env bash
# The history survives a daemon restart, and the dashboard works in a real browser:
#  1. the daemon (SQLite history on, [http] on) sees the hub go down and up; it is restarted;
#     `wgtrack events` and `wgtrack uptime` read the first run's events and the outage from the
#     database, the traffic totals did not go back, /api/v1/history/{key} serves them;
#  2. headless Chromium (Debian's, driven by playwright-core) opens the dashboard: the peer is
#     up, goes down when the path is black-holed (no reload), comes back; the detail page, the
#     keyboard, a phone-sized screen; then 10,000 more peers: first render and virtualised list.
#     Screenshots are kept in $WGTRACK_ARTIFACTS (default build/artifacts).
# Usage: dashboard.sh --wgtrack PATH   (root; wireguard-go, wg, nft, curl, jq, node, chromium)
set -u
source "$(dirname "$0")/../lab/lab.sh"
lab_args "$@"
lab_need_bin WGTRACK
E2E_DIR=$(cd "$(dirname "$0")/../e2e" && pwd)
for t in curl jq node; do command -v "$t" >/dev/null 2>&1 || lab_die "missing '$t' (scripts/install-deps.sh test)"; done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || lab_die "missing chromium (scripts/install-deps.sh test)"
[ -d "$E2E_DIR/node_modules/playwright-core" ] || lab_die "run 'npm ci' in tests/e2e (scripts/install-deps.sh test)"
lab_init
ART=${WGTRACK_ARTIFACTS:-$(cd "$(dirname "$0")/../.." && pwd)/build/artifacts}
mkdir -p "$ART"

lab_hub_site --keepalive 1
KEY_H=$(lab_pub "$H")
DB=$LAB_DIR/history.db
cat >"$LAB_DIR/w.conf" <<C
[general]
cycle_time = 1
ping_interval = 1
ping_failafternum = 2
wireguard_config_dir = $LAB_DIR/no-wg-quick
[peer:$KEY_H]
name = hub
[http]
listen = 127.0.0.1:9586
[history]
path = $DB
C
api() { lab_exec site curl -sf --max-time 5 "http://127.0.0.1:9586$1"; }
state() { api "/api/v1/interfaces/$S" | jq -r '.interface.peers[0].state'; }
wait_state() {  # STATE TIMEOUT_S
  local limit=$((SECONDS + $2))
  while [ $SECONDS -lt "$limit" ]; do [ "$(state 2>/dev/null)" = "$1" ] && return 0; sleep 0.2; done
  return 1
}

# ---- 1. history across a restart -----------------------------------------------------------
lab_spawn daemon1 site "$WGTRACK" -c "$LAB_DIR/w.conf"
t_check "run 1: the hub is up (API)" wait_state up 10
lab_blackhole site vs
t_check "run 1: down after the black hole" wait_state down 10
lab_heal site vs
t_check "run 1: up again" wait_state up 15
lab_exec hub ping -q -c 20 -i 0.05 "$(lab_tun4 "$S")" >/dev/null   # some traffic to count
sleep 2
rx1=$(api "/api/v1/history/$(jq -rn --arg k "$KEY_H" '$k|@uri')?since=1h" | jq -r '.rx_total')
kill -TERM "$(lab_pid daemon1)"; wait "$(lab_pid daemon1)"
t_eq "run 1: SIGTERM, clean exit" 0 "$?"
lab_spawn daemon2 site "$WGTRACK" -c "$LAB_DIR/w.conf"
t_check "run 2: up" wait_state up 10
ev=$("$WGTRACK" events --db "$DB" --since 1h --peer hub)
printf '%s\n' "$ev" | sed 's/^/#   /'
t_check "wgtrack events: run 1's down is in the history" grep -q "down" <<<"$ev"
t_eq "wgtrack events --json: status changes to down and back to up" "down up" \
  "$("$WGTRACK" events --db "$DB" --since 1h --peer hub --json | jq -r 'select(.event == "status_change") | .status' | tr '\n' ' ' | sed 's/ $//')"
up=$("$WGTRACK" uptime --db "$DB" --since 1h --json)
t_check "wgtrack uptime: one outage for the hub, availability below 100 %" \
  jq -e '[.. | objects | select(has("outages"))][0] | (.outages | length) >= 1 and .availability < 1' <<<"$up"
"$WGTRACK" uptime --db "$DB" --since 1h | sed 's/^/#   /'
sleep 3
hist=$(api "/api/v1/history/$(jq -rn --arg k "$KEY_H" '$k|@uri')?since=1h")
rx2=$(jq -r '.rx_total' <<<"$hist")
t_check "traffic total survived the restart (run 1: $rx1 B, now: $rx2 B)" test "${rx2:-0}" -ge "${rx1:-1}"
t_check "the history API has the events of both runs" jq -e '[.events[] | select(.event == "initial_status")] | length >= 2' <<<"$hist"

# ---- 2. the dashboard in Chromium ----------------------------------------------------------------
lab_fake_peers_conf 10000 1 >"$LAB_DIR/many.conf"
cat >"$LAB_DIR/break.nft" <<N
table inet lab_dash {
  chain input { type filter hook input priority -10; policy accept; iifname "vs" drop; }
}
N
out=$(ip netns exec "$(lab_ns site)" node "$E2E_DIR/dashboard.mjs" --url http://127.0.0.1:9586/ \
  --out "$ART" --peer hub --break "nft -f $LAB_DIR/break.nft" --heal "nft delete table inet lab_dash" \
  --many "wg addconf $S $LAB_DIR/many.conf" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^ok /# browser: ok /; s/^not ok /# browser: NOT OK /'
t_eq "the browser test passed" 0 "$rc"
t_check "screenshots saved in $ART" test -s "$ART/dashboard-down.png"
t_done
