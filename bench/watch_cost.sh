#!/usr/bin/env bash
# What the reads between cycles cost on a big hub: the daemon watching one wireguard-go
# interface with N dial-in peers (default 10,000), once with the default settings
# (watch_interval = 2 s: a read every 2 s, cycle_time 30 s) and once with watch_interval = 0
# (reads only every cycle_time, as before), SECONDS each (default 120), in the same run.
# Reported per setting: CPU seconds of the daemon and of wireguard-go (which answers every read)
# over the run, and as a share of one core.
#
# Usage: bench/watch_cost.sh [--wgtrack PATH] [N] [SECONDS]   (root)
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../tests/lab/lab.sh"
lab_args "$@"
[ -n "$WGTRACK" ] || WGTRACK=$here/../build/wgtrack
lab_need_bin WGTRACK
N=${LAB_REST_ARGS[0]:-10000}
SECONDS_EACH=${LAB_REST_ARGS[1]:-120}
lab_init

lab_ns_add hub
lab_wg_add hub H
H=$(lab_if H)
lab_add_fake_peers "$H" "$N"
HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # utime + stime

run() {  # NAME WATCH_INTERVAL
  cat >"$LAB_DIR/$1.conf" <<C
[general]
watch_interval = $2
stats_interval = 0
wireguard_config_dir = $LAB_DIR/none
[http]
enabled = false
[history]
path = $LAB_DIR/$1.db
C
  lab_spawn "$1" hub "$WGTRACK" -c "$LAB_DIR/$1.conf"
  local pid; pid=$(lab_pid "$1")
  sleep 5  # start-up: the first read of N peers, initial events
  local d0 w0; d0=$(cpu_ticks "$pid"); w0=$(cpu_ticks "$(lab_wg_pid "$H")")
  sleep "$SECONDS_EACH"
  local d1 w1; d1=$(cpu_ticks "$pid"); w1=$(cpu_ticks "$(lab_wg_pid "$H")")
  lab__stop_pid "$pid"
  awk -v n="$1" -v w="$2" -v d=$((d1 - d0)) -v g=$((w1 - w0)) -v hz="$HZ" -v s="$SECONDS_EACH" \
    'BEGIN { printf "%-8s watch_interval=%-4s daemon %6.2f s CPU (%5.2f%% of a core)   wireguard-go %6.2f s (%5.2f%%)\n",
             n, w, d / hz, 100 * d / hz / s, g / hz, 100 * g / hz / s }'
}

echo "# $N peers on one wireguard-go interface, ${SECONDS_EACH} s per setting"
run before 0
run watch 2s
