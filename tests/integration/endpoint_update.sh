#!/usr/bin/env bash
# `wgtrack-labctl set-endpoint` on a live wireguard-go tunnel: traffic really moves to the new path
# (the old one is black-holed), v4 -> v4 -> v6, nothing else about the device changes, and a peer
# removed meanwhile is not re-created (UPDATE_ONLY).
# Usage: endpoint_update.sh --labctl PATH [--wgtrack PATH]     (root; wireguard-go, wg, nft)
set -u
source "$(dirname "$0")/../lab/lab.sh"
lab_args "$@"
lab_need_bin LABCTL
lab_init

# a <-> b over three veth pairs: path 1 (192.0.2.0/24), path 2 (198.51.100.0/24), path 3 (v6)
lab_ns_add a; lab_ns_add b
lab_veth a va1 b vb1; lab_veth a va2 b vb2; lab_veth a va3 b vb3
lab_addr a va1 192.0.2.1/24; lab_addr b vb1 192.0.2.2/24
lab_addr a va2 198.51.100.1/24; lab_addr b vb2 198.51.100.2/24
lab_addr a va3 2001:db8:3::1/64; lab_addr b vb3 2001:db8:3::2/64
lab_wg_add a A; lab_wg_add b B
A=$(lab_if A); B=$(lab_if B)
PORT_B=$(lab_port "$B"); KEY_B=$(lab_pub "$B")
lab_pair --psk --keepalive 25 "$A" "$B" "192.0.2.2:$PORT_B"
lab_add_fake_peers "$A" 4   # bystanders: no endpoint, v4 endpoint, v6 endpoint

# everything about A except B's counters/handshake/endpoint, to compare after each change
state_of_a() {
  lab_wg "$A" show "$A" dump | awk -F'\t' -v kb="$KEY_B" '
    NF == 4 { print; next }
    $1 == kb { print $1, $2, $4, $8; next }
    { print $1, $2, $3, $4, $8 }' | sort
}
endpoint_of_b() { lab_wg "$A" show "$A" endpoints | awk -v k="$KEY_B" '$1 == k { print $2 }'; }
set_endpoint() { lab_exec a "$LABCTL" set-endpoint --backend userspace "$A" "$KEY_B" "$1"; }
TUN_B=$(lab_tun4 "$B")

t_check "path 1: ping through the tunnel" lab_ping a "$TUN_B"
before=$(state_of_a)

# --- move to path 2 (v4) ---
t_check "set-endpoint 198.51.100.2:$PORT_B exits 0" set_endpoint "198.51.100.2:$PORT_B"
t_eq "wg shows the new endpoint" "198.51.100.2:$PORT_B" "$(endpoint_of_b)"
lab_blackhole a va1; lab_blackhole b vb1
t_check "path 1 black-holed: a ping on the old underlay fails" bash -c "! ip netns exec $(lab_ns a) ping -n -q -c 1 -W 1 192.0.2.2"
t0=$EPOCHREALTIME
t_check "path 2: ping through the tunnel still works" lab_ping a "$TUN_B" 5
t_diag "first reply after $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms"
t_eq "b sees a roam to path 2" "198.51.100.1" "$(lab_wg "$B" show "$B" endpoints | awk '{ sub(/:[0-9]+$/, "", $2); print $2 }')"
t_eq "nothing else on $A changed (keys, allowed ips, keepalive, psk, other peers)" "$before" "$(state_of_a)"

# --- move to path 3 (v6) ---
t_check "set-endpoint [2001:db8:3::2]:$PORT_B exits 0" set_endpoint "[2001:db8:3::2]:$PORT_B"
t_eq "wg shows the new v6 endpoint" "[2001:db8:3::2]:$PORT_B" "$(endpoint_of_b)"
lab_blackhole a va2; lab_blackhole b vb2
t_check "path 3 (v6): ping through the tunnel works" lab_ping a "$TUN_B" 5
t_check "path 3 (v6): ping6 through the tunnel works" lab_ping a "$(lab_tun6 "$B")" 5
t_eq "nothing else on $A changed after the v6 move" "$before" "$(state_of_a)"

# --- heal path 1 and go back: the black hole helper really heals ---
lab_heal a va1; lab_heal b vb1
t_check "set-endpoint back to 192.0.2.2:$PORT_B exits 0" set_endpoint "192.0.2.2:$PORT_B"
lab_blackhole a va3; lab_blackhole b vb3
t_check "path 1 healed: ping through the tunnel works" lab_ping a "$TUN_B" 5

# --- a removed peer stays removed ---
lab_wg "$A" set "$A" peer "$KEY_B" remove || lab_die "removing peer failed"
t_check "set-endpoint on a removed peer exits 0" set_endpoint "198.51.100.2:$PORT_B"
t_eq "the removed peer is not re-created" "" "$(lab_wg "$A" show "$A" peers | grep -F -- "$KEY_B")"
t_eq "the other peers are untouched" "$(printf '%s\n' "$before" | grep -vF -- "$KEY_B")" "$(state_of_a)"

# --- invalid input is refused and changes nothing ---
KEY_F=$(awk '/^PublicKey/ { print $3; exit }' "$LAB_FAKE_CONF")
lab_exec a "$LABCTL" set-endpoint --backend userspace "$A" "$KEY_F" "not-an-endpoint" >/dev/null 2>&1
t_check "set-endpoint with a bad endpoint exits non-zero" test $? -ne 0
t_eq "and changes nothing" "$(printf '%s\n' "$before" | grep -vF -- "$KEY_B")" "$(state_of_a)"
t_done
