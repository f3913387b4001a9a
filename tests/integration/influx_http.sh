#!/usr/bin/env bash
# The influx_http output against a real InfluxDB 1.x (Debian's influxd 1.6): influxd runs as our
# child on loopback with a temporary config (random port, temp dirs, reporting disabled);
# wgtrack-influx-push writes tests/support/sample_snapshot.h through InfluxHttpSink and the
# Beast client; the points are read back with the influx CLI: integer fields (`i`), tags,
# values and second-precision timestamps, for both schemas; then a missing database (HTTP 404,
# retried, reported) and a stopped server (connection refused). influxd is stopped by its PID.
# Usage: influx_http.sh --push PATH     (no root needed; influxdb + influxdb-client + jq)
set -u
source "$(dirname "$0")/../lab/lab.sh"   # t_ok / t_fail / t_eq / t_done, lab__stop_pid

PUSH=""
while [ $# -gt 0 ]; do
  case $1 in
    --push) PUSH=$2; shift 2 ;;
    *) shift ;;   # --wgtrack/--labctl from the common registration are not needed here
  esac
done
[ -x "$PUSH" ] || lab_die "pass --push PATH (the wgtrack-influx-push test tool)"
for t in influxd influx jq python3; do
  command -v "$t" >/dev/null 2>&1 || lab_die "missing '$t' (scripts/install-deps.sh test)"
done

DIR=$(mktemp -d /tmp/wgtrack-influx.XXXXXX) || lab_die "mktemp failed"
INFLUXD_PID=""
cleanup() {
  [ -n "$INFLUXD_PID" ] && lab__stop_pid "$INFLUXD_PID"
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
HTTP_PORT=$(free_port)
RPC_PORT=$(free_port)
cat >"$DIR/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$RPC_PORT"
[meta]
  dir = "$DIR/meta"
[data]
  dir = "$DIR/data"
  wal-dir = "$DIR/wal"
  query-log-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$HTTP_PORT"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
CONF

influxd -config "$DIR/influxdb.conf" >"$DIR/influxd.log" 2>&1 &
INFLUXD_PID=$!
URL="http://127.0.0.1:$HTTP_PORT"
q() { influx -host 127.0.0.1 -port "$HTTP_PORT" -precision s -format json "$@"; }
up=0
for ((i = 0; i < 100; i++)); do
  q -execute 'SHOW DATABASES' >/dev/null 2>&1 && { up=1; break; }
  kill -0 "$INFLUXD_PID" 2>/dev/null || break
  sleep 0.1
done
if [ "$up" != 1 ]; then
  t_fail "influxd answers on $URL"; sed 's/^/#   /' "$DIR/influxd.log" | tail -20; t_done
fi
t_ok "influxd $(influxd version 2>/dev/null | awk '{print $2}') answers on $URL"
q -execute 'CREATE DATABASE wgtrack' >/dev/null
q -execute 'CREATE DATABASE telegraf' >/dev/null

# values COLUMN QUERY: the query's values of one column, one per line
values() {
  local db=$1 query=$2
  q -database "$db" -execute "$query" |
    jq -r '.results[].series[]? as $s | ($s.columns | index("'"$3"'")) as $i | $s.values[][$i]'
}

# --- wgtrack schema, three cycles, precision s ------------------------------------------------
out=$("$PUSH" --url "$URL" --db wgtrack --cycles 3 2>"$DIR/push.err")
rc=$?
t_eq "push: 3 cycles x 5 peers written" "0 lines_written=15" "$rc $(grep -o 'lines_written=[0-9]*' <<<"$out")"
t_eq "write URL is /write?db=...&precision=s" "url=$URL/write?db=wgtrack&precision=s" \
  "$(grep -o 'url=[^ ]*' <<<"$out")"
t_eq "15 points" "15" "$(values wgtrack 'SELECT count(is_up) FROM wgtrack' count)"
t_eq "integer fields (towalink/wgtrack wrote floats)" \
  "is_up=integer status=string transfer_rx=integer transfer_tx=integer" \
  "$(q -database wgtrack -execute 'SHOW FIELD KEYS FROM wgtrack' |
     jq -r '.results[0].series[0].values[] | "\(.[0])=\(.[1])"' | sort | tr '\n' ' ' | sed 's/ $//')"
t_eq "tag interface" "wg0 wgu1" \
  "$(values wgtrack 'SHOW TAG VALUES FROM wgtrack WITH KEY = "interface"' value | sort | tr '\n' ' ' | sed 's/ $//')"
UP_KEY="rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI="
t_eq "up peer: last point at the third cycle, in seconds, 64-bit counter intact" \
  "1763771125 123456789012 4242 up:ok 1" \
  "$(q -database wgtrack -execute "SELECT transfer_tx, transfer_rx, status, is_up FROM wgtrack WHERE peer = '$UP_KEY' ORDER BY time DESC LIMIT 1" |
     jq -r '.results[0].series[0].values[0] | map(tostring) | join(" ")')"
t_eq "down and never peers are not up" "0 0" \
  "$(values wgtrack "SELECT last(is_up) FROM wgtrack WHERE status =~ /^down/ GROUP BY peer" last | tr '\n' ' ' | sed 's/ $//')"

# --- telegraf schema --------------------------------------------------------------------------
out=$("$PUSH" --url "$URL" --db telegraf --schema telegraf 2>>"$DIR/push.err")
t_eq "telegraf schema: 2 devices + 5 peers written" "lines_written=7" "$(grep -o 'lines_written=[0-9]*' <<<"$out")"
t_eq "wireguard_peer rx_bytes is an integer" "integer" \
  "$(q -database telegraf -execute 'SHOW FIELD KEYS FROM wireguard_peer' |
     jq -r '.results[0].series[0].values[] | select(.[0] == "rx_bytes") | .[1]')"
t_eq "wireguard_device listen_port of wg0" "51820" \
  "$(values telegraf "SELECT listen_port FROM wireguard_device WHERE \"name\" = 'wg0'" listen_port)"

# --- a database that does not exist: 404, retried, reported -----------------------------------
"$PUSH" --url "$URL" --db missing --deadline-ms 1500 >"$DIR/missing.out" 2>"$DIR/missing.err"
t_eq "missing database: push fails" "1" "$?"
t_check "missing database: the server's reason is logged" grep -q 'HTTP 404.*database not found' "$DIR/missing.err"
t_check "missing database: retried, lines kept" grep -q 'requests_failed=[2-9].*buffered=5' "$DIR/missing.out"

# --- server stopped: connection refused --------------------------------------------------------
lab__stop_pid "$INFLUXD_PID"
INFLUXD_PID=""
"$PUSH" --url "$URL" --db wgtrack --deadline-ms 1000 >"$DIR/down.out" 2>"$DIR/down.err"
t_eq "server down: push fails" "1" "$?"
t_check "server down: connection refused is reported" grep -qi 'refused' "$DIR/down.err"
[ "$T_FAIL" -gt 0 ] && sed 's/^/#   /' "$DIR/push.err" "$DIR/missing.err" "$DIR/down.err" | head -20
t_done
