#!/usr/bin/env bash
# The README's first command's demo (scripts/demo.sh), shortened: the daemon reports the
# branch office up, then down while its path is black-holed, then up again, and the demo
# removes its lab when it ends.
# Usage: demo.sh --wgtrack PATH     (root)
set -u
source "$(dirname "$0")/../lab/lab.sh"
lab_args "$@"
lab_need_bin WGTRACK
out=$(mktemp)
trap 'rm -f "$out"' EXIT
DEMO_SECONDS=15 DEMO_PERIOD=7 DEMO_OUTAGE=4 DEMO_PORT=19586 \
  timeout 60 "$(dirname "$0")/../../scripts/demo.sh" --wgtrack "$WGTRACK" >"$out" 2>&1 &
demo=$!
# While it runs, the printed dashboard URL answers from this host's loopback.
api=""
for ((i = 0; i < 50; i++)); do
  api=$(curl -sf --max-time 2 http://127.0.0.1:19586/api/v1/status 2>/dev/null) && [ -n "$api" ] && break
  sleep 0.2
done
wait "$demo"
t_eq "the demo ends by itself with exit 0" 0 "$?"
t_check "the demo prints the dashboard's URL" grep -q "Open the dashboard: http://127.0.0.1:19586/" "$out"
t_check "... which serves the API with branch-office from this host" \
  grep -q '"name":"branch-office"' <<<"$api"
t_check "branch-office starts up" grep -q "branch-office (.*): initial_status up" "$out"
t_check "the never-connected peers are 'never'" grep -q "initial_status never" "$out"
t_check "branch-office goes down during the outage" grep -q "branch-office (.*): status_change up -> down" "$out"
t_check "... and comes back up" grep -q "branch-office (.*): status_change down -> up" "$out"
id=$(sed -n 's/^# lab \([0-9a-f]*\) .*/\1/p' "$out" | head -n1)
t_check "the lab id is printed" test -n "$id"
t_check "no namespace of the demo lab is left" bash -c "! ip netns list | grep -q 'wgtl-$id-'"
t_check "no wireguard-go of the demo lab is left" bash -c "! pgrep -f '[w]ireguard-go -f wt$id' >/dev/null"
[ "$T_FAIL" -gt 0 ] && sed 's/^/#   /' "$out"
t_done
