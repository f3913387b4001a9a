#!/usr/bin/env bash
# wgtrack's c-ares resolver (`wgtrack-labctl resolve`, the daemon's AresResolver) against a real
# DNS server: dnsmasq in a namespace, authoritative for lab.test. A and AAAA with the TTLs dnsmasq
# serves; a name with A only; an unknown name is a permanent error; the server refusing (stopped)
# or silent (frozen) is a transient error within the configured timeout; the answer follows
# dnsmasq restarted with another address; the resolv.conf path works like --server.
# Usage: resolver.sh --labctl PATH [--wgtrack PATH]     (root; dnsmasq from dnsmasq-base)
set -u
source "$(dirname "$0")/../lab/lab.sh"
lab_args "$@"
lab_need_bin LABCTL
command -v dnsmasq >/dev/null 2>&1 || lab_die "missing 'dnsmasq' (scripts/install-deps.sh test)"
lab_init

DNS_IP=192.0.2.53
lab_ns_add d
lab_addr d lo "$DNS_IP/32"

# start_dns NAME ADDRESS4 ADDRESS6: dnsmasq in the foreground, stopped by cleanup (lab_spawn).
start_dns() {
  lab_spawn "$1" d dnsmasq --no-daemon --conf-file=/dev/null --port 53 \
    --listen-address "$DNS_IP" --bind-interfaces --no-resolv --no-hosts --user=root \
    --pid-file="$LAB_DIR/$1.pid" --local=/lab.test/ \
    --host-record="vpn.lab.test,$2,$3" --host-record=v4only.lab.test,198.51.100.9 \
    --local-ttl=42
}
resolve() { lab_exec d "$LABCTL" resolve "$@" --server "$DNS_IP:53"; }
addrs() { awk '/^addr=/ { print $1 "/" $2 }' | sort | tr '\n' ' ' | sed 's/ $//'; }
field() { awk -F= -v k="$1" '$1 == k { print $2 }'; }
permanent() { grep -o 'permanent=[01]' | cut -d= -f2; }
# wait_answer HOST: until dnsmasq answers (it takes a moment to bind), up to 5 s
wait_answer() {
  local i
  for ((i = 0; i < 50; i++)); do
    resolve "$1" --timeout-ms 100 --tries 1 2>/dev/null | grep -q '^addr=' && return 0
    sleep 0.1
  done
  return 1
}

start_dns dns1 198.51.100.7 2001:db8::7
t_check "dnsmasq answers" wait_answer vpn.lab.test

# --- answers --------------------------------------------------------------------------------
out=$(resolve vpn.lab.test); rc=$?
t_eq "vpn.lab.test: exit 0" 0 "$rc"
t_eq "A and AAAA, each with dnsmasq's TTL 42" \
  "addr=198.51.100.7/ttl=42 addr=2001:db8::7/ttl=42" "$(addrs <<<"$out")"
t_eq "no partial answer" "" "$(grep '^partial=' <<<"$out")"
out=$(resolve v4only.lab.test); rc=$?
t_eq "a name without AAAA: its A record, not an error" "0 addr=198.51.100.9/ttl=42" \
  "$rc $(addrs <<<"$out")"
out=$(resolve 203.0.113.5); rc=$?
t_eq "an IP literal answers itself" "0 addr=203.0.113.5/ttl=0" "$rc $(addrs <<<"$out")"

# --- unknown name: permanent ------------------------------------------------------------------
out=$(resolve nosuch.lab.test); rc=$?
t_eq "unknown name: exit 1, permanent" "1 1" "$rc $(permanent <<<"$out")"
t_check "unknown name: 'no such host'" grep -q '^error=nosuch.lab.test: no such host ' <<<"$out"

# --- resolv.conf instead of --server ----------------------------------------------------------
echo "nameserver $DNS_IP" >"$LAB_DIR/resolv.conf"
out=$(lab_exec d "$LABCTL" resolve vpn.lab.test --resolv-conf "$LAB_DIR/resolv.conf"); rc=$?
t_eq "the same answer through a resolv.conf path" \
  "0 addr=198.51.100.7/ttl=42 addr=2001:db8::7/ttl=42" "$rc $(addrs <<<"$out")"

# --- server frozen (silent): transient, within the timeout -----------------------------------
# --timeout-ms 300 --tries 2 with one server: c-ares gives up after 300 + 600 ms.
kill -STOP "$(lab_pid dns1)"
out=$(resolve vpn.lab.test --timeout-ms 300 --tries 2); rc=$?
kill -CONT "$(lab_pid dns1)"
ms=$(field elapsed_ms <<<"$out")
t_eq "server silent: exit 1, transient" "1 0" "$rc $(permanent <<<"$out")"
t_check "server silent: a DNS timeout" grep -q '^error=.*DNS timeout' <<<"$out"
t_check "server silent: given up within the timeout bound (${ms} ms, bound 900 ms + 600 slack)" \
  awk -v m="$ms" 'BEGIN { exit !(m >= 850 && m < 1500) }'

# --- server stopped (port closed): transient, at once -----------------------------------------
lab__stop_pid "$(lab_pid dns1)"
out=$(resolve vpn.lab.test --timeout-ms 1000 --tries 2); rc=$?
ms=$(field elapsed_ms <<<"$out")
t_eq "server down: exit 1, transient" "1 0" "$rc $(permanent <<<"$out")"
t_diag "server down: $(grep '^error=' <<<"$out") after $ms ms"
t_check "server down: answered within the timeout bound ($ms ms < 3000 ms)" \
  awk -v m="$ms" 'BEGIN { exit !(m < 3000) }'

# --- restarted with another address: the answer follows ---------------------------------------
start_dns dns2 198.51.100.77 2001:db8::77
t_check "dnsmasq answers again" wait_answer vpn.lab.test
out=$(resolve vpn.lab.test); rc=$?
t_eq "after the restart: the new addresses" \
  "0 addr=198.51.100.77/ttl=42 addr=2001:db8::77/ttl=42" "$rc $(addrs <<<"$out")"
t_done
