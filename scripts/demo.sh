#!/usr/bin/env bash
# A demo lab for wgtrack's daemon, for hosts without WireGuard: two network namespaces joined
# by a veth pair, wireguard-go on both ends, a real peer ("branch-office") whose path fails
# for 20 s every minute, and three configured peers that never connected. The daemon runs in
# the foreground in the hub's namespace and prints events as they happen. Ctrl-C stops it and
# removes the lab (namespaces, processes, sockets).
#
# Usage: scripts/demo.sh [--wgtrack PATH]     (root)
#   DEMO_PERIOD=60 (the path fails every PERIOD s), DEMO_OUTAGE=20 (for OUTAGE s),
#   DEMO_SECONDS (stop by itself after that long; default: run until Ctrl-C)
set -u
cd "$(dirname "$0")/.."
source tests/lab/lab.sh
lab_args "$@"
[ -n "$WGTRACK" ] || WGTRACK=build/wgtrack
lab_need_bin WGTRACK
PERIOD=${DEMO_PERIOD:-60}
OUTAGE=${DEMO_OUTAGE:-20}
lab_init
# The branch office dials in with a 1 s keepalive; the hub knows it by its key only.
lab_hub_site --site-initiates --keepalive 1
lab_add_fake_peers "$H" 3

cat >"$LAB_DIR/demo.conf" <<C
# wgtrack demo configuration (see packaging/wgtrack.conf.example for every key)
[general]
cycle_time = 1
ping_interval = 1
ping_failafternum = 2
stats_interval = 5m
wireguard_config_dir = $LAB_DIR/no-wg-quick
[interface:$S]
enabled = false
[peer:$(lab_pub "$S")]
name = branch-office
keepalive_expected = 1s
[http]
listen = 127.0.0.1:9586
[history]
path = $LAB_DIR/history.db
C

# The daemon serves HTTP inside the hub's namespace; socat brings it to this host's loopback
# (one `ip netns exec socat` per connection), so a browser here can open the dashboard.
PORT=${DEMO_PORT:-9586}
URL=""
if command -v socat >/dev/null 2>&1; then
  socat "TCP-LISTEN:$PORT,bind=127.0.0.1,reuseaddr,fork" \
    "EXEC:ip netns exec $(lab_ns hub) socat STDIO TCP\:127.0.0.1\:9586" 2>/dev/null &
  FORWARDER=$!
  lab_on_exit "kill -TERM $FORWARDER 2>/dev/null; wait $FORWARDER 2>/dev/null"
  URL="http://127.0.0.1:$PORT"
fi

cat <<T
== wgtrack demo: the hub's interface $H (namespace $(lab_ns hub)) has 4 peers:
   branch-office (a real wireguard-go peer, keepalive 1 s) and 3 that never connected.
   branch-office's path is black-holed for ${OUTAGE} s every ${PERIOD} s. Press Ctrl-C to stop.
   Config: $LAB_DIR/demo.conf
T
if [ -n "$URL" ]; then
  cat <<T
== Open the dashboard: $URL/   (watch branch-office go down and come back)
   Prometheus metrics: $URL/metrics   JSON API: $URL/api/v1/status
T
else
  echo "== (install socat to open the dashboard from this host: scripts/install-deps.sh)"
fi

# The outage schedule, in the background; cleanup stops it by PID.
(
  trap 'exit 0' TERM
  while :; do
    sleep "$((PERIOD - OUTAGE))"
    echo "== demo: black-holing branch-office's path now (for ${OUTAGE} s)" >&2
    lab_blackhole site vs
    sleep "$OUTAGE"
    lab_heal site vs
    echo "== demo: branch-office's path is back" >&2
  done
) &
FLAPPER=$!
lab_on_exit "kill -TERM $FLAPPER 2>/dev/null; wait $FLAPPER 2>/dev/null"

ip netns exec "$(lab_ns hub)" "$WGTRACK" -c "$LAB_DIR/demo.conf" &
DAEMON=$!
lab_on_exit "kill -TERM $DAEMON 2>/dev/null; wait $DAEMON 2>/dev/null"
if [ -n "${DEMO_SECONDS:-}" ]; then
  ( sleep "$DEMO_SECONDS"; kill -TERM "$DAEMON" 2>/dev/null ) &
  lab_on_exit "kill $! 2>/dev/null"
fi
wait "$DAEMON"
echo "== demo over; the lab is being removed"
