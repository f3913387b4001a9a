#!/usr/bin/env bash
# Soak: the daemon watching a wireguard-go interface with 100 peers under churn, for a while,
# sampling its resident memory. Issue #3's figures: RSS with 100 peers <= 10 MB, steady (no
# growth) over an hour.
#
# Usage: bench/soak.sh [--wgtrack PATH] [SECONDS]      (root; default 3600 s)
# Churn, all the time: every 5 s ten fake peers are removed and ten new ones added; every 20 s
# the real peer's path is black-holed for 4 s (down, then up); the event log rotates at 1 MB.
# Output: a CSV of (seconds, RSS KiB) in $LAB_DIR, and a summary: RSS after the first minute,
# at the end, the maximum, and the growth between the two halves of the run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../tests/lab/lab.sh"
lab_args "$@"
[ -n "$WGTRACK" ] || WGTRACK=$here/../build/wgtrack
lab_need_bin WGTRACK
DURATION=${LAB_REST_ARGS[0]:-3600}
lab_init

lab_hub_site --keepalive 1
lab_add_fake_peers "$S" 99
cat >"$LAB_DIR/w.conf" <<C
[general]
cycle_time = 0.5
ping_interval = 1
stats_interval = 60
wireguard_config_dir = $LAB_DIR/none
[interface:$H]
enabled = false
[output:events]
type = file
path = $LAB_DIR/events.jsonl
max_size = 1M
keep = 2
[history]
path = $LAB_DIR/history.db
C
lab_spawn daemon site "$WGTRACK" -c "$LAB_DIR/w.conf"
PID=$(lab_pid daemon)
CSV=$LAB_DIR/rss.csv
start=${EPOCHSECONDS}
next_churn=$((start + 5)); next_flap=$((start + 20)); next_sample=$start
echo "seconds,rss_kib" >"$CSV"
while [ $((EPOCHSECONDS - start)) -lt "$DURATION" ]; do
  kill -0 "$PID" 2>/dev/null || lab_die "the daemon died; log: $(tail -n 20 "$LAB_DIR/daemon.log")"
  now=$EPOCHSECONDS
  if [ "$now" -ge "$next_sample" ]; then
    echo "$((now - start)),$(awk '/^VmRSS/ { print $2 }' "/proc/$PID/status")" >>"$CSV"
    next_sample=$((next_sample + 10))
  fi
  if [ "$now" -ge "$next_churn" ]; then
    for k in $(lab_wg "$S" show "$S" peers | grep -v "$(lab_pub "$H")" | shuf -n 10); do
      lab_wg "$S" set "$S" peer "$k" remove
    done
    lab_add_fake_peers "$S" 10
    next_churn=$((next_churn + 5))
  fi
  if [ "$now" -ge "$next_flap" ]; then
    lab_blackhole site vs; sleep 4; lab_heal site vs
    next_flap=$((next_flap + 20))
  fi
  sleep 1
done
kill -TERM "$PID"; wait "$PID"; rc=$?
events=$(cat "$LAB_DIR"/events.jsonl* 2>/dev/null | wc -l)
downs=$(cat "$LAB_DIR"/events.jsonl* 2>/dev/null | grep -c '"status":"down"')
awk -F, -v d="$DURATION" -v rc="$rc" -v ev="$events" -v downs="$downs" '
  NR == 1 { next }
  { t[NR] = $1; r[NR] = $2; if ($2 > max) max = $2; n = NR }
  $1 >= 60 && !first { first = $2 }
  END {
    h = int((n - 1) / 2) + 1; s1 = 0; s2 = 0; c1 = 0; c2 = 0
    for (i = 2; i <= n; i++) { if (i <= h) { s1 += r[i]; c1++ } else { s2 += r[i]; c2++ } }
    printf "soak: %d s, exit %d, %d events in the retained logs (%d down), peers churned 20 per 5 s\n", d, rc, ev, downs
    printf "soak: RSS after 1 min %d KiB, at the end %d KiB, max %d KiB; mean first half %.0f KiB, second half %.0f KiB\n",
           first, r[n], max, s1 / c1, s2 / (c2 ? c2 : 1)
  }' "$CSV"
grep -E "stats:" "$LAB_DIR/daemon.log" | tail -n 2
cp "$CSV" "${SOAK_CSV:-/tmp/wgtrack-soak-rss.csv}"
