#!/usr/bin/env bash
# The daemon against real wireguard-go in network namespaces:
#  1. probes: initial_status, then `down` within the detection target after the path is
#     black-holed (cycle_time 1, ping_interval 1, ping_failafternum 2: <= 3 s), `up` after it
#     heals; SIGHUP with a broken config keeps the old one running; a valid reload renames
#     the peer in later events; SIGTERM stops cleanly (exit 0).
#  2. rx progress alone: remote keepalive 1 s, no probes, keepalive_expected = 1s: `down`
#     within 1.5 x keepalive + one cycle of the black hole. The daemon sees rx only when it
#     reads the counters, so the last keepalive before the black hole may be seen up to a
#     cycle late and the silence is counted from then: with cycle_time 0.5 that is <= 2 s
#     (plus the event's way to the file). The measured figure is printed.
#  3. the state users see is not behind the events: at the default-like cycle_time 30 the same
#     black hole is found by a re-evaluation between regular cycles; /metrics must say
#     `wgtrack_peer_up ... 0` within 200 ms of the `down` event's own time stamp.
# Every output of the daemon is also checked for the private and preshared keys.
# Usage: daemon.sh --wgtrack PATH        (root; wireguard-go, wg, nft)
set -u
source "$(dirname "$0")/../lab/lab.sh"
lab_args "$@"
lab_need_bin WGTRACK
lab_init

# hub initiates with keepalive 1 s: the site sees rx every second (part 2's signal)
lab_hub_site --psk --keepalive 1
KEY_H=$(lab_pub "$H")

EVENTS=$LAB_DIR/events.jsonl
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
# wait_event JQ_FILTER TIMEOUT_S: until a line of $EVENTS matches; prints the ms it took
wait_event() {
  local filter=$1 limit=$(( $(now_ms) + $2 * 1000 )) t0
  t0=$(now_ms)
  while [ "$(now_ms)" -lt "$limit" ]; do
    if [ -s "$EVENTS" ] && jq -e -s "map(select($filter)) | length > 0" "$EVENTS" >/dev/null 2>&1; then
      echo $(( $(now_ms) - t0 )); return 0
    fi
    sleep 0.05
  done
  return 1
}
# event_delay T0_MS JQ_FILTER TIMEOUT_S: waits like wait_event, then prints the ms from T0_MS to
# the first matching event's own time stamp. The daemon stamps an event when it decides, so the
# figure is the detection time, not that plus this poll loop's latency (jq and sleep, which
# grow when other labs share the machine).
event_delay() {
  local t0=$1 at
  wait_event "$2" "$3" >/dev/null || return 1
  at=$(jq -r -s "map(select($2)) | first | .time" "$EVENTS") || return 1
  echo $(( $(date -d "$at" +%s%3N) - t0 ))
}
write_conf() {  # write_conf EXTRA_GENERAL_LINES [PEER_NAME [EXTRA_SECTIONS]]   (cycle: $CYCLE, default 1)
  cat >"$LAB_DIR/w.conf" <<C
[general]
cycle_time = ${CYCLE:-1}
wireguard_config_dir = $LAB_DIR/no-wg-quick
$1
[interface:$H]
enabled = false
[peer:$KEY_H]
name = ${2:-hub}
[output:events]
type = file
path = $EVENTS
[output:influx]
filename = $LAB_DIR/influx.out
[history]
path = $LAB_DIR/history.db
${3:-}
C
}

# ---- 1. in-tunnel probes ----
write_conf $'ping_interval = 1\nping_failafternum = 2'
t_check "check-config accepts the configuration" "$WGTRACK" check-config -c "$LAB_DIR/w.conf"
lab_spawn daemon site "$WGTRACK" -c "$LAB_DIR/w.conf"
DPID=$(lab_pid daemon)
t_check "initial_status up for the hub" wait_event '.event == "initial_status" and .status == "up" and .name == "hub"' 5
lab_blackhole site vs
t0=$(now_ms)
if ms=$(event_delay "$t0" '.event == "status_change" and .status == "down"' 10); then
  t_ok "down reported ${ms} ms after the black hole (bound: 3000 ms)"
  [ "$ms" -le 3000 ] && t_ok "detection within 3 s" || t_fail "detection within 3 s (took ${ms} ms)"
  jq -c 'select(.event == "status_change")' "$EVENTS" | sed 's/^/#   /'
else
  t_fail "down reported after the black hole"; t_fail "detection within 3 s"
fi
# rewritten every regular cycle (1 s): the first one after the verdict shows it
influx_says_down() {
  local i
  for ((i = 0; i < 30; i++)); do
    grep -Eq "^wgtrack,interface=$S,peer=[^ ]+ transfer_rx=[0-9]+i,transfer_tx=[0-9]+i,status=\"down\",is_up=0i [0-9]{19}\$" \
      "$LAB_DIR/influx.out" 2>/dev/null && return 0
    sleep 0.1
  done
  sed 's/^/#   /' "$LAB_DIR/influx.out" >&2
  return 1
}
t_check "the towalink/wgtrack-style [output:influx] file has the peer, integer counters, status" influx_says_down
lab_heal site vs
t_check "up again after the path heals" wait_event '.event == "status_change" and .old_status == "down" and .status == "up"' 10

cp "$LAB_DIR/w.conf" "$LAB_DIR/good.conf"
printf '[general]\ncycle_time = often\n' >"$LAB_DIR/w.conf"
kill -HUP "$DPID"
sleep 0.5
t_check "daemon still running after SIGHUP with a broken config" kill -0 "$DPID"
t_check "the broken config is rejected with file:line" grep -q "w.conf:2: error" "$LAB_DIR/daemon.log"
t_check "... and the old one stays active" grep -q "previous configuration stays active" "$LAB_DIR/daemon.log"
write_conf $'ping_interval = 1\nping_failafternum = 2' renamed-hub
kill -HUP "$DPID"
sleep 0.5
t_check "a valid reload is taken" grep -q "configuration reloaded" "$LAB_DIR/daemon.log"
lab_blackhole site vs
t_check "after reload: still detects, with the new name" wait_event '.event == "status_change" and .status == "down" and .name == "renamed-hub"' 10
lab_heal site vs
t_eq "no second initial_status after reloads (state kept)" 1 "$(jq -s 'map(select(.event == "initial_status" and .interface == "'"$S"'")) | length' "$EVENTS")"
kill -TERM "$DPID"; wait "$DPID"; rc=$?
t_eq "SIGTERM: clean exit" 0 "$rc"
t_check "the log says it stopped" grep -q "stopped" "$LAB_DIR/daemon.log"

# ---- 2. rx progress alone (no probes) ----
rm -f "$EVENTS"
CYCLE=0.5 write_conf $'ping_interval = 0\nkeepalive_expected = 1s'
lab_spawn daemon2 site "$WGTRACK" -c "$LAB_DIR/w.conf" -l debug
t_check "initial_status (rx mode)" wait_event '.event == "initial_status" and .status == "up"' 5
sleep 1.2
lab_blackhole site vs
t0=$(now_ms)
if ms=$(event_delay "$t0" '.event == "status_change" and .status == "down"' 10); then
  t_ok "rx-only: down reported ${ms} ms after the black hole"
  # 1.5 x 1 s + 0.5 s cycle, + 100 ms for timer slack
  [ "$ms" -le 2100 ] && t_ok "rx-only detection within 1.5 x keepalive + one cycle (2 s)" ||
    t_fail "rx-only detection within 1.5 x keepalive + one cycle (2 s; took ${ms} ms)"
  jq -r 'select(.event == "status_change") | .reason' "$EVENTS" | sed 's/^/#   reason: /'
else
  t_fail "rx-only: down reported"; t_fail "rx-only detection within 2 s"
fi
lab_heal site vs
t_check "rx-only: up again after heal" wait_event '.status == "up" and .event == "status_change"' 10

# ---- 3. /metrics is not behind the events (cycle_time 30) ----
kill -TERM "$(lab_pid daemon2)"; wait "$(lab_pid daemon2)" 2>/dev/null
rm -f "$EVENTS"
CYCLE=30 write_conf $'ping_interval = 0\nkeepalive_expected = 1s' hub $'[http]\nlisten = 127.0.0.1:9586'
lab_spawn daemon3 site "$WGTRACK" -c "$LAB_DIR/w.conf"
metrics() { lab_exec site curl -sf --max-time 1 http://127.0.0.1:9586/metrics; }
peer_up() { metrics | awk '/^wgtrack_peer_up\{/ { print $NF; exit }'; }
t_check "initial_status (cycle_time 30)" wait_event '.event == "initial_status" and .status == "up"' 5
t_eq "/metrics: wgtrack_peer_up 1 before the black hole" 1 "$(peer_up)"
sleep 1.2
lab_blackhole site vs
t0=$(now_ms)
seen=""
limit=$(( t0 + 10000 ))
while [ "$(now_ms)" -lt "$limit" ]; do  # poll /metrics until it says down
  t=$(now_ms)
  if [ "$(peer_up)" = 0 ]; then seen=$t; break; fi
  sleep 0.02
done
if ms=$(event_delay "$t0" '.event == "status_change" and .status == "down"' 1); then
  t_ok "cycle_time 30: down reported ${ms} ms after the black hole (between regular cycles)"
  ev=$(( t0 + ms ))
  if [ -n "$seen" ]; then
    lag=$(( seen - ev ))
    [ "$lag" -le 200 ] && t_ok "/metrics says down ${lag} ms after the event (bound 200 ms)" ||
      t_fail "/metrics says down ${lag} ms after the event (bound 200 ms)"
  else
    t_fail "/metrics never said wgtrack_peer_up 0 within 10 s"
  fi
else
  t_fail "cycle_time 30: down reported within 10 s"; t_fail "/metrics follows the event"
fi
lab_heal site vs

# ---- secrets ----
leaks=0
for secret in "$(lab_priv "$S")" "$(lab_priv "$H")" "$LAB_LAST_PSK"; do
  [ -n "$secret" ] || continue
  hex=$(printf '%s' "$secret" | base64 -d | od -An -tx1 | tr -d ' \n')
  grep -rqF -e "$secret" -e "$hex" "$LAB_DIR"/daemon*.log "$EVENTS" && leaks=$((leaks + 1))
done
t_eq "no private or preshared key in any daemon output" 0 "$leaks"
t_done
