#!/usr/bin/env bash
# Scrape harness: one wireguard-go interface with N random peers watched by
# the daemon (cycle_time 1, no probes); then, in the same run:
#   scrape ms     a whole `curl /metrics` over HTTP (median of R), against
#   wg dump ms    `wg show all dump` alone (median of R; what the MindFlavor exporter spawns on
#                 every scrape before it formats anything), runs interleaved;
#   status ms     `curl /api/v1/status` (the JSON document of every peer);
#   scrapes/s     wrk (1 thread, 4 connections, keep-alive, 10 s) against /metrics with the daemon
#                 pinned to CPU 0 and wrk to CPU 1, and how many cycles the daemon completed
#                 meanwhile (it must keep its 1 s cycle): once as Prometheus asks (Accept-Encoding:
#                 gzip, so every cycle's text is also compressed once), once for the plain text.
# Usage: bench/scrape.sh [--wgtrack PATH] [--runs R] [N]   (root; wireguard-go, wg, curl, wrk)
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../tests/lab/lab.sh"
RUNS=15
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
lab_args "${args[@]}"
[ -n "$WGTRACK" ] || WGTRACK=$here/../build/wgtrack
N=${LAB_REST_ARGS[0]:-10000}
for t in curl wrk taskset; do command -v "$t" >/dev/null || lab_die "missing $t"; done
lab_init

lab_ns_add s
lab_wg_add s A
A=$(lab_if A)
lab_add_fake_peers "$A" "$N"
cat >"$LAB_DIR/w.conf" <<C
[general]
cycle_time = 1
ping_interval = 0
stats_interval = 0
wireguard_config_dir = $LAB_DIR/none
[http]
listen = 127.0.0.1:9586
[history]
enabled = no
C
lab_spawn daemon s taskset -c 0 "$WGTRACK" -c "$LAB_DIR/w.conf" -l warning
DPID=$(lab_pid daemon)
m() { lab_exec s curl -sf -o /dev/null --max-time 10 "http://127.0.0.1:9586$1"; }
for ((i = 0; i < 100; i++)); do m /metrics && break; sleep 0.1; done
ms() { local t0=$EPOCHREALTIME; "$@" >/dev/null; echo "$(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 ))"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
mgz() { lab_exec s curl -sf --compressed -o /dev/null --max-time 10 "http://127.0.0.1:9586$1"; }
scrape=() scrape_gz=() dump=() status=()
for ((r = 0; r < RUNS; r++)); do
  scrape+=("$(ms m /metrics)")
  scrape_gz+=("$(ms mgz /metrics)")
  dump+=("$(ms lab_exec s wg show all dump)")
  status+=("$(ms m /api/v1/status)")
done
bytes=$(lab_exec s curl -sf http://127.0.0.1:9586/metrics | wc -c)
gz_bytes=$(lab_exec s curl -sf -H 'Accept-Encoding: gzip' http://127.0.0.1:9586/metrics | wc -c)
cycles() { lab_exec s curl -sf http://127.0.0.1:9586/metrics | awk '/^wgtrack_cycles_total /{ print $2 }'; }
wrk_run() {  # [header]: requests/s and the cycles completed meanwhile
  local c0 c1 out
  c0=$(cycles)
  out=$(lab_exec s taskset -c 1 wrk -t1 -c4 -d10s "$@" http://127.0.0.1:9586/metrics 2>&1)
  c1=$(cycles)
  echo "$(awk '/Requests\/sec/ { print $2 }' <<<"$out") cycles_during_10s=$((${c1%.*} - ${c0%.*}))"
}
wrk_gz=$(wrk_run -H 'Accept-Encoding: gzip')
wrk_plain=$(wrk_run)
echo "peers=$N runs=$RUNS metrics_bytes=$bytes gzip_bytes=$gz_bytes"
echo "scrape_ms_median=$(printf '%s\n' "${scrape[@]}" | median) all: ${scrape[*]}"
echo "scrape_gzip_ms_median=$(printf '%s\n' "${scrape_gz[@]}" | median) all: ${scrape_gz[*]}"
echo "wg_dump_ms_median=$(printf '%s\n' "${dump[@]}" | median) all: ${dump[*]}"
echo "status_ms_median=$(printf '%s\n' "${status[@]}" | median) all: ${status[*]}"
echo "wrk_scrapes_per_s_gzip=$wrk_gz (daemon on one core; Accept-Encoding: gzip as Prometheus)"
echo "wrk_scrapes_per_s_plain=$wrk_plain (daemon on one core; no Accept-Encoding)"
echo "daemon_rss_kib=$(awk '/VmRSS/ { print $2 }' /proc/"$DPID"/status)"
