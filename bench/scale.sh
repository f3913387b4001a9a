#!/usr/bin/env bash
# Scale harness: one wireguard-go interface with N random peers; how long reading it takes with
# wgtrack against wg(8), and where the time goes (raw UAPI get vs our read+parse).
#
# Usage: bench/scale.sh [--wgtrack PATH] [--labctl PATH] [--runs R] [N...]   (root)
#   N defaults to 1000 10000 50000; R defaults to 15 (7 for N > 10000).
#   Paths default to $WGTRACK / $WGTRACK_LABCTL, then build/ in this checkout.
#
# Columns (medians of R runs, ms; wg and wgtrack runs alternate so both see the same load):
#   wg IF / wgtrack IF     `wg show IF dump` vs `wgtrack show --json IF`, each a whole process
#   wg all / wgtrack all   the same for every interface (the UAPI socket dir is shared by all
#                          namespaces, so "all" is whatever this machine runs: see the ifs count)
#   read+parse (x raw)     our backend's full read + parse, in process (target: <= 1.15)
#   raw get                the UAPI get alone (bytes read, no parsing): the floor
#   cycle, x raw           the daemon's cycle without probes (read, diff, health, events);
#                          x raw = cycle / raw get (target: <= 1.2)
#                          (these three come from one `wgtrack-labctl cycle` run, interleaved,
#                          because wireguard-go's reply time drifts as it is read repeatedly)
#   B/peer                 UAPI reply bytes per peer; model = our parsed model's bytes per peer
#   wg-go RSS              wireguard-go's resident memory after the runs
# The commands run in the root namespace (the UAPI socket is reachable from there) so that no
# `ip netns exec` cost is measured; the interface itself lives in a lab namespace.
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../tests/lab/lab.sh"

RUNS=""
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
lab_args "${args[@]}"
for d in "$here/../build" "$here/../build-lab"; do
  [ -n "$WGTRACK" ] || { [ -x "$d/wgtrack" ] && WGTRACK=$d/wgtrack; }
  [ -n "$LABCTL" ] || { [ -x "$d/tests/tools/wgtrack-labctl" ] && LABCTL=$d/tests/tools/wgtrack-labctl; }
done
lab_need_bin WGTRACK LABCTL
SIZES=("${LAB_REST_ARGS[@]}")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 50000)
prev=0
for n in "${SIZES[@]}"; do
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge "$prev" ] && [ "$n" -le 65535 ] \
    || lab_die "sizes must be increasing integers <= 65535 (wireguard-go's peer limit), got '$n'"
  prev=$n
done

lab_init
lab_ns_add s
lab_wg_add s S
IF=$(lab_if S)

# median_ms R CMD...: run CMD R times (after one warm-up), print the median wall time in ms
median_ms() {
  local r=$1 i t0 t1; shift
  local -a ts=()
  "$@" >/dev/null 2>&1 || { echo "FAIL"; return 1; }
  for ((i = 0; i < r; i++)); do
    t0=${EPOCHREALTIME/./}; "$@" >/dev/null 2>&1; t1=${EPOCHREALTIME/./}
    ts+=($((t1 - t0)))
  done
  med "${ts[@]}"
}
med() {
  printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END {
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f\n", m / 1000 }'
}
# median_pair R F G: run functions F and G alternately R times each (so both see the same machine
# load), print "median(F) median(G)" in ms
median_pair() {
  local r=$1 f=$2 g=$3 i t0 t1 t2
  local -a tf=() tg=()
  "$f" >/dev/null 2>&1 || { echo "FAIL FAIL"; return 1; }
  "$g" >/dev/null 2>&1 || { echo "FAIL FAIL"; return 1; }
  for ((i = 0; i < r; i++)); do
    t0=${EPOCHREALTIME/./}; "$f" >/dev/null 2>&1
    t1=${EPOCHREALTIME/./}; "$g" >/dev/null 2>&1
    t2=${EPOCHREALTIME/./}
    tf+=($((t1 - t0))); tg+=($((t2 - t1)))
  done
  echo "$(med "${tf[@]}") $(med "${tg[@]}")"
}
wg_if() { wg show "$IF" dump; }
us_if() { "$WGTRACK" show --json "$IF"; }
wg_all() { wg show all dump; }
us_all() { "$WGTRACK" show --json; }
# kv KEY TEXT: value of KEY=... in labctl output
kv() { awk -F= -v k="$1" '$1 == k { print $2; exit }' <<<"$2"; }

rows=()
have=0
for n in "${SIZES[@]}"; do
  t0=$EPOCHREALTIME
  [ "$n" -gt "$have" ] && lab_add_fake_peers "$IF" $((n - have))
  have=$n
  lab_log "N=$n: $(wg show "$IF" peers | wc -l) peers in $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms"
  r=${RUNS:-$([ "$n" -gt 10000 ] && echo 7 || echo 15)}
  nifs=$(wg show interfaces | wc -w)
  read -r wg_if us_if < <(median_pair "$r" wg_if us_if)
  read -r wg_all us_all < <(median_pair "$r" wg_all us_all)
  rd=$("$LABCTL" read --backend userspace "$IF" --repeat "$r" 2>&1) || lab_log "labctl read failed: $rd"
  raw=$("$LABCTL" raw-read "$IF" --repeat "$r" 2>&1) || lab_log "labctl raw-read failed: $raw"
  cyc=$("$LABCTL" cycle --backend userspace "$IF" --repeat "$r" 2>&1) || lab_log "labctl cycle failed: $cyc"
  ratio=$(awk -v c="$(kv cycle_median_ms "$cyc")" -v r="$(kv raw_median_ms "$cyc")" 'BEGIN { if (r > 0) printf "%.2f", c / r; else print "?" }')
  pratio=$(awk -v c="$(kv read_median_ms "$cyc")" -v r="$(kv raw_median_ms "$cyc")" 'BEGIN { if (r > 0) printf "%.2f", c / r; else print "?" }')
  peers=$(kv peers "$rd")
  [ "$peers" = "$n" ] || lab_log "labctl read saw peers=$peers, expected $n"
  bytes=$(kv bytes "$raw")
  bpp=$([ -n "$bytes" ] && awk -v b="$bytes" -v n="$n" 'BEGIN { printf "%.0f", b / n }')
  rss=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$(lab_wg_pid "$IF")/status" 2>/dev/null)
  rows+=("$(printf '%6s %4s %3s | %9s %11s | %9s %11s | %17s %8s | %8s %6s | %7s %7s | %6s' \
    "$n" "$r" "$nifs" "$wg_if" "$us_if" "$wg_all" "$us_all" \
    "$(kv read_median_ms "$cyc") ($pratio)" "$(kv raw_median_ms "$cyc")" "$(kv cycle_median_ms "$cyc")" "$ratio" \
    "${bpp:-?}" "$(kv model_bytes_per_peer "$rd")" "${rss:-?}")")
  printf '%s\n' "${rows[-1]}" >&2
done

st_wg=$(median_ms 15 wg --version)
st_us=$(median_ms 15 "$WGTRACK" --version)
echo
echo "wgtrack scale bench: wireguard-go $(wireguard-go --version 2>/dev/null | awk 'NR == 1 { print $2 }'), $(nproc) cores, medians in ms"
printf '%6s %4s %3s | %9s %11s | %9s %11s | %17s %8s | %8s %6s | %7s %7s | %6s\n' \
  peers runs ifs "wg IF" "wgtrack IF" "wg all" "wgtrack all" "read+parse (x raw)" "raw get" "cycle" "x raw" \
  "B/peer" "model" "RSS MB"
printf '%s\n' "${rows[@]}"
echo "process start alone (--version): wg $st_wg ms, wgtrack $st_us ms"
