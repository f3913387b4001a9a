#!/usr/bin/env bash
# Endpoint recovery as a field host runs it: wgtrack's DEFAULT settings (cycle_time 30 s,
# watch_interval 2 s, ping_interval 1, ping_failafternum 2; the configuration names only the DNS
# server, the wg-quick folder, an event file and the history file) and the client files people
# really have.
# The hub is reachable over IPv6 (path A) and IPv4 (path B); its name has an AAAA and an A record
# (dnsmasq, TTL 1 s); the site's wg-quick Endpoint resolved to the AAAA at boot. (The history
# file is the only other key set: it goes to the lab's folder.) Traffic flows
# all the time (echoes through the tunnel every 0.3 s). Each scenario runs 5 times; the medians
# are the figures:
#  (1) the cron endpoint manager's own client file (wireguard_endpoint_manager.py's wg0.conf):
#      AllowedIPs = <hub>/24, <hub>/64 written with the hub's host address, no /32, PersistentKeepalive
#      = 20 (the lab's documentation addresses stand in for 172.25.1.0/24, fd08:5771:2371::/64).
#      The probe target is the written host address. the path in use broken -> tunnel again (bound 20 s);
#  (2) a full-tunnel client, AllowedIPs = 0.0.0.0/0, ::/0, no DNS = line: nothing to probe, only
#      the counters tell. the path in use broken -> `down` (bound 25 s) -> tunnel again (bound 30 s);
#  (1b) the same file, our packets to the address in use dropped while the hub's keepalives
#      (every 2 s) still arrive from it -> tunnel again on the other one (bound 20 s);
#  (3) a peer with a /32: plain black hole -> `down` (bound 10 s);
#  and on the healthy link, answers rotating every 0.5 s with a 1 s TTL: no endpoint change.
# Usage: recovery_defaults.sh --wgtrack PATH   (root; wireguard-go, wg, nft, dnsmasq, jq)
set -u
source "$(dirname "$0")/../lab/lab.sh"
lab_args "$@"
lab_need_bin WGTRACK
command -v dnsmasq >/dev/null 2>&1 || lab_die "missing 'dnsmasq' (scripts/install-deps.sh test)"
command -v jq >/dev/null 2>&1 || lab_die "missing 'jq' (scripts/install-deps.sh test)"
lab_init

lab_ns_add site; lab_ns_add hub; lab_ns_add dns
lab_veth site va hub ha   # path A: IPv6
lab_veth site vb hub hb   # path B: IPv4
lab_veth site vd dns dd   # DNS
lab_addr site va 2001:db8:a::1/64; lab_addr hub ha 2001:db8:a::2/64
lab_addr site vb 198.51.100.1/24;  lab_addr hub hb 198.51.100.2/24
lab_addr site vd 192.0.2.1/24;     lab_addr dns dd 192.0.2.53/24
lab_wg_add hub H; lab_wg_add site S   # tunnel addresses 203.0.113.1/24 and .2/24 (+ /64s)
H=$(lab_if H); S=$(lab_if S); PORT=$(lab_port "$H")
HUB4=$(lab_tun4 "$H"); HUB6=$(lab_tun6 "$H")
# The hub, as a server is set up: the site by its /32 and /128, no endpoint (it dials in).
lab_wg "$H" set "$H" peer "$(lab_pub "$S")" allowed-ips "$(lab_tun4 "$S")/32,$(lab_tun6 "$S")/128"
# The field host sits behind a stateful firewall: the hub can answer but never reach it first,
# so it cannot fix the link by roaming to us; only the site's choice of endpoint can.
lab_exec site nft -f - <<EOF || lab_die "site firewall failed"
table inet lab_fw {
  chain input {
    type filter hook input priority -5; policy accept;
    iifname { "va", "vb" } ct state established,related accept
    iifname { "va", "vb" } meta l4proto udp drop
  }
}
EOF

HOSTS=$LAB_DIR/hosts
set_dns() { printf '%s vpn.lab.test\n' "$@" >"$HOSTS"; }
set_dns 2001:db8:a::2 198.51.100.2
lab_spawn dns dns dnsmasq --no-daemon --conf-file=/dev/null --port 53 \
  --listen-address 192.0.2.53 --bind-interfaces --no-resolv --no-hosts --addn-hosts="$HOSTS" \
  --user=root --local=/lab.test/ --local-ttl=1 --pid-file="$LAB_DIR/dns.pid"
reload_dns() { kill -HUP "$(lab_pid dns)"; }

mkdir -p "$LAB_DIR/wg"
EVENTS=$LAB_DIR/events.jsonl
cat >"$LAB_DIR/w.conf" <<C
[general]
dns_servers = 192.0.2.53
wireguard_config_dir = $LAB_DIR/wg
[output:events]
type = file
path = $EVENTS
[history]
path = $LAB_DIR/history.db
C

now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
count() { [ -s "$EVENTS" ] && jq -s "map(select($1)) | length" "$EVENTS" || echo 0; }
# first_after MS JQ_FILTER: epoch ms of the first matching event at or after MS, or nothing.
first_after() {
  local t ms
  [ -s "$EVENTS" ] || return 0
  while read -r t; do
    ms=$(( $(date -u -d "${t%.*}Z" +%s) * 1000 + 10#$(sed 's/.*\.\([0-9]*\)Z/\1/' <<<"$t") ))
    [ "$ms" -ge "$1" ] && { echo "$ms"; return 0; }
  done < <(jq -r "select($2) | .time" "$EVENTS")
}
wait_event() {  # JQ_FILTER TIMEOUT_S [MIN_COUNT]
  local limit=$(( $(now_ms) + $2 * 1000 ))
  while [ "$(now_ms)" -lt "$limit" ]; do
    [ "$(count "$1")" -ge "${3:-1}" ] && return 0
    sleep 0.1
  done
  return 1
}
endpoint_now() { lab_exec site wg show "$S" endpoints | awk '{ print $2 }'; }
# until_tunnel TIMEOUT_S: ms until an echo through the tunnel comes back (an echo every 0.3 s:
# the user's traffic keeps flowing meanwhile)
until_tunnel() {
  local t0 limit; t0=$(now_ms); limit=$(( t0 + $1 * 1000 ))
  while [ "$(now_ms)" -lt "$limit" ]; do
    lab_exec site ping -n -q -c 1 -W 0.3 "$HUB4" >/dev/null 2>&1 && { echo $(( $(now_ms) - t0 )); return 0; }
  done
  return 1
}
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : 999999) }'; }

# start_site ALLOWED_IPS_OF_FILE DEVICE_ALLOWED_IPS N: configure the site's peer as wg-quick
# would have at boot (the name resolved once, IPv6 first; wg set replaces the allowed IPs), write
# the file, (re)start the daemon (log daemonN.log).
DPID=""
start_site() {
  [ -n "$DPID" ] && { kill -TERM "$DPID"; wait "$DPID" 2>/dev/null; }
  lab_exec site wg set "$S" peer "$(lab_pub "$H")" endpoint "[2001:db8:a::2]:$PORT" \
    persistent-keepalive 20 allowed-ips "$2"
  cat >"$LAB_DIR/wg/$S.conf" <<C
[Interface]
PrivateKey = $(lab_priv "$S")
Address = $(lab_tun4 "$S")/24,$(lab_tun6 "$S")/64
[Peer]
PublicKey = $(lab_pub "$H")
AllowedIPs = $1
PersistentKeepalive = 20
Endpoint = vpn.lab.test:$PORT
C
  lab_ping site "$HUB4" 5 || lab_die "tunnel does not come up"
  : >"$EVENTS"
  lab_spawn "daemon$3" site "$WGTRACK" -c "$LAB_DIR/w.conf"
  DPID=$(lab_pid "daemon$3")
  wait_event '.event == "initial_status" and .status == "up"' 10 || lab_die "daemon did not start"
}
# break_current: black-hole the path the tunnel runs on now (A for the IPv6 endpoint, B for the
# IPv4 one); heal_after_run undoes it once the run is over and lets the link settle for 3 s:
# when a path heals, the hub may send over it again and WireGuard roams there by itself, which
# must not fall into the next run's measurement.
BROKEN=""
break_current() {
  local dev hub_dev
  case $(endpoint_now) in \[*) dev=va hub_dev=ha ;; *) dev=vb hub_dev=hb ;; esac
  lab_blackhole site "$dev"; lab_blackhole hub "$hub_dev"
  BROKEN="$dev $hub_dev"
}
heal_after_run() { heal_all; sleep 3; }
heal_all() {
  [ -n "$BROKEN" ] || return 0
  set -- $BROKEN
  lab_heal site "$1"; lab_heal hub "$2"
  BROKEN=""
}

# ---- (1) the endpoint manager's client file, default settings ---------------------------------
start_site "$HUB4/24,$HUB6/64" "${HUB4%.*}.0/24,${HUB6%::*}::/64" 1
out=$("$WGTRACK" check-config -c "$LAB_DIR/w.conf" 2>&1)
t_check "(1) check-config: the probe target is the host address the file writes" \
  grep -qF "$HUB4 (host address written in the wg-quick AllowedIPs)" <<<"$out"
# Healthy link, DNS answers rotating with a 1 s TTL: nothing moves.
for i in $(seq 10); do
  if [ $((i % 2)) -eq 0 ]; then set_dns 198.51.100.2 2001:db8:a::2; else set_dns 2001:db8:a::2 198.51.100.2; fi
  reload_dns; sleep 0.5
done
t_eq "healthy link, 10 reordered answers (TTL 1 s): no endpoint change" 0 \
  "$(count '.event == "endpoint_changed"')"
set_dns 2001:db8:a::2 198.51.100.2; reload_dns
times=()
for run in 1 2 3 4 5; do
  break_current; sleep 0.3
  if ms=$(until_tunnel 60); then
    times+=("$((ms + 300))")
    t_ok "(1) run $run: tunnel again $((ms + 300)) ms after the break ($BROKEN), on $(endpoint_now)"
  else
    t_fail "(1) run $run: tunnel again after the break (endpoint $(endpoint_now))"
  fi
  # before the next run: the peer must be up again (latched down until proof)
  wait_event '.event == "status_change" and .status == "up"' 20 "$run" \
    || t_fail "(1) run $run: the peer is up again"
  heal_after_run
done
m1=$(median "${times[@]}")
t_diag "(1) break -> tunnel (ms): ${times[*]}; median $m1"
t_check "(1) median break -> tunnel ${m1} ms (bound 20000 ms)" test "$m1" -le 20000

# ---- (1b) the same file, one-way failure ------------------------------------------------------
# Our packets to the address in use are dropped (UDP to the WireGuard port only: it still
# answers ICMP), the hub's keepalives (every 2 s) keep arriving from it: received data must not
# keep us there, the other address must carry the tunnel.
lab_wg "$H" set "$H" peer "$(lab_pub "$S")" persistent-keepalive 2
ow=()
for run in 1 2 3 4 5; do
  current=$(endpoint_now); addr=${current%:*}
  lab_oneway site "$current"
  sleep 0.3
  if ms=$(until_tunnel 60); then
    ow+=("$((ms + 300))")
    t_ok "(1b) run $run: $addr one way, tunnel again $((ms + 300)) ms later on $(endpoint_now)"
  else
    t_fail "(1b) run $run: tunnel again after $addr broke one way (endpoint $(endpoint_now))"
  fi
  t_check "(1b) run $run: moved off $addr" test "$(endpoint_now)" != "$current"
  lab_oneway_off site; sleep 3
done
lab_wg "$H" set "$H" peer "$(lab_pub "$S")" persistent-keepalive 0
m1b=$(median "${ow[@]}")
t_diag "(1b) one-way failure -> tunnel (ms): ${ow[*]}; median $m1b"
t_check "(1b) median one-way failure -> tunnel ${m1b} ms (bound 20000 ms)" test "$m1b" -le 20000
# Each of the 10 recoveries was proven in both directions (a handshake or an in-tunnel reply);
# one that came back on received data alone would end "unproven" and log no confirmation.
t_check "(1), (1b): every recovery confirmed by a handshake or a probe" \
  test "$(grep -cE 'confirmed by (handshake|probe)' "$LAB_DIR/daemon1.log")" -ge 10

# ---- (2) full-tunnel client: nothing to probe -------------------------------------------------
start_site "0.0.0.0/0, ::/0" "0.0.0.0/0,::/0" 2
out=$("$WGTRACK" check-config -c "$LAB_DIR/w.conf" 2>&1)
t_check "(2) check-config says why there is no probe target" grep -qF "no probe target (no /32" <<<"$out"
downs=(); backs=()
for run in 1 2 3 4 5; do
  t0=$(now_ms)
  break_current; sleep 0.3
  if ms=$(until_tunnel 60); then
    backs+=("$((ms + 300))")
    t_ok "(2) run $run: tunnel again $((ms + 300)) ms after the break ($BROKEN), on $(endpoint_now)"
  else
    t_fail "(2) run $run: tunnel again after the break (endpoint $(endpoint_now))"
  fi
  t=$(first_after "$t0" '.event == "status_change" and .status == "down"')
  if [ -n "$t" ]; then downs+=("$((t - t0))"); else t_fail "(2) run $run: down reported"; fi
  wait_event '.event == "status_change" and .status == "up"' 20 "$run" \
    || t_fail "(2) run $run: the peer is up again"
  heal_after_run
done
md=$(median "${downs[@]}"); mb=$(median "${backs[@]}")
t_diag "(2) break -> down (ms): ${downs[*]}; median $md" "(2) break -> tunnel (ms): ${backs[*]}; median $mb"
t_check "(2) median break -> down ${md} ms (bound 25000 ms)" test "$md" -le 25000
t_check "(2) median break -> tunnel ${mb} ms (bound 30000 ms)" test "$mb" -le 30000

# ---- (3) a peer with a /32: plain black hole ---------------------------------------------------
start_site "$HUB4/32, $HUB6/128" "$HUB4/32,$HUB6/128" 3
downs=()
for run in 1 2 3 4 5; do
  t0=$(now_ms)
  break_current
  if wait_event '.event == "status_change" and .status == "down"' 30 "$run"; then
    t=$(first_after "$t0" '.event == "status_change" and .status == "down"')
    downs+=("$((t - t0))")
    t_ok "(3) run $run: down $((t - t0)) ms after the black hole ($BROKEN)"
  else
    t_fail "(3) run $run: down reported"
  fi
  until_tunnel 60 >/dev/null || t_fail "(3) run $run: tunnel again"
  wait_event '.event == "status_change" and .status == "up"' 20 "$run" \
    || t_fail "(3) run $run: the peer is up again"
  heal_after_run
done
m3=$(median "${downs[@]}")
t_diag "(3) black hole -> down (ms): ${downs[*]}; median $m3"
t_check "(3) median black hole -> down ${m3} ms (bound 10000 ms)" test "$m3" -le 10000

kill -TERM "$DPID"; wait "$DPID"; rc=$?
t_eq "SIGTERM: clean exit" 0 "$rc"
[ "$T_FAIL" -eq 0 ] || tail -n 40 "$LAB_DIR/daemon3.log" | sed 's/^/#   log: /'
t_done
