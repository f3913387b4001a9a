#!/usr/bin/env bash
# /metrics scraped by a real Prometheus server (Debian's `prometheus`), values read back with
# PromQL: the daemon watches a hub <-> site tunnel on wireguard-go; wgtrack_peer_up is 1, the
# state series says up, handshake age is small, rx/tx counters grow; after the path is
# black-holed wgtrack_peer_up turns 0 and state "down"; `up` of the scrape job stays 1 (the
# exporter never fails a scrape). Also: the same scrape over HTTP vs `wg show all dump`.
# Usage: prometheus.sh --wgtrack PATH     (root; wireguard-go, wg, nft, prometheus, curl, jq)
set -u
source "$(dirname "$0")/../lab/lab.sh"
lab_args "$@"
lab_need_bin WGTRACK
for t in prometheus promtool curl jq; do
  command -v "$t" >/dev/null 2>&1 || lab_die "missing '$t' (scripts/install-deps.sh test)"
done
lab_init

lab_hub_site --keepalive 1
KEY_H=$(lab_pub "$H")

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
path = $LAB_DIR/history.db
C
lab_spawn daemon site "$WGTRACK" -c "$LAB_DIR/w.conf"
metrics() { lab_exec site curl -sf --max-time 2 http://127.0.0.1:9586/metrics; }
for ((i = 0; i < 50; i++)); do metrics >/dev/null && break; sleep 0.1; done
t_check "the daemon serves /metrics" metrics
gzip_metrics() {  # asked as Prometheus asks: gzip-encoded, and it decodes to valid metrics
  local headers
  headers=$(lab_exec site curl -sf --max-time 2 -o /dev/null -D - -H 'Accept-Encoding: gzip' \
    http://127.0.0.1:9586/metrics) || return 1
  grep -qi '^content-encoding: gzip' <<<"$headers" || { echo "# no gzip: $headers" >&2; return 1; }
  lab_exec site curl -sf --max-time 2 --compressed http://127.0.0.1:9586/metrics |
    promtool check metrics
}
t_check "/metrics is gzip-encoded when asked and decodes to valid metrics" gzip_metrics

mkdir -p "$LAB_DIR/tsdb"
cat >"$LAB_DIR/prometheus.yml" <<C
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: wgtrack
    static_configs: [ { targets: ["127.0.0.1:9586"] } ]
C
lab_spawn prometheus site prometheus --config.file="$LAB_DIR/prometheus.yml" \
  --storage.tsdb.path="$LAB_DIR/tsdb" --web.listen-address=127.0.0.1:9090
# query EXPR: the value of the first series (empty if none)
query() {
  lab_exec site curl -sf --max-time 2 --get --data-urlencode "query=$1" \
    http://127.0.0.1:9090/api/v1/query | jq -r '.data.result[0].value[1] // empty'
}
# wait_value EXPR VALUE TIMEOUT_S
wait_value() {
  local limit=$((SECONDS + $3))
  while [ $SECONDS -lt "$limit" ]; do
    [ "$(query "$1" 2>/dev/null)" = "$2" ] && return 0
    sleep 0.5
  done
  echo "# $1 = $(query "$1")" >&2
  return 1
}
t_check "Prometheus scrapes wgtrack (up == 1)" wait_value 'up{job="wgtrack"}' 1 40
t_check "wgtrack_peer_up{name=\"hub\"} == 1" wait_value "wgtrack_peer_up{interface=\"$S\",name=\"hub\"}" 1 10
t_check "state series: up" wait_value "wgtrack_peer_state{interface=\"$S\",state=\"up\"}" 1 10
age=$(query "wgtrack_peer_handshake_age_seconds{interface=\"$S\"}")
t_check "handshake age is small ($age s)" awk -v a="$age" 'BEGIN { exit !(a != "" && a < 10) }'
t_check "rx counter grows" wait_value "increase(wgtrack_peer_receive_bytes_total{interface=\"$S\"}[5s]) > bool 0" 1 15
lab_blackhole site vs
t_check "after a black hole: wgtrack_peer_up == 0" wait_value "wgtrack_peer_up{interface=\"$S\",name=\"hub\"}" 0 20
t_check "... and state down" wait_value "wgtrack_peer_state{interface=\"$S\",state=\"down\"}" 1 10
t_check "the exporter never failed a scrape" wait_value 'min_over_time(up{job="wgtrack"}[1m])' 1 5
lab_heal site vs
t_check "healed: wgtrack_peer_up == 1 again" wait_value "wgtrack_peer_up{interface=\"$S\",name=\"hub\"}" 1 20
t_done
