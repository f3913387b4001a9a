#!/usr/bin/env bash
# `wgtrack show --json` against `wg show all dump` on real wireguard-go interfaces: every field of
# the interface and its peers, the IFACE filter, the text form, and that no secret ever leaks.
# Usage: show_matches_dump.sh --wgtrack PATH [--labctl PATH]     (root; wireguard-go, wg, jq)
set -u
source "$(dirname "$0")/../lab/lab.sh"
lab_args "$@"
lab_need_bin WGTRACK
command -v jq >/dev/null || lab_die "missing jq (scripts/install-deps.sh test)"
lab_init

# a (A) <-> b (B) over one veth with v4 and v6; A also has two peers that do not exist.
lab_ns_add a; lab_ns_add b
lab_veth a va b vb
lab_addr a va 192.0.2.1/24; lab_addr b vb 192.0.2.2/24
lab_addr a va 2001:db8:1::1/64; lab_addr b vb 2001:db8:1::2/64
lab_wg_add a A; lab_wg_add b B
A=$(lab_if A); B=$(lab_if B)
lab_pair --psk --keepalive 5 "$A" "$B" "192.0.2.2:$(lab_port "$B")"
PSK=$LAB_LAST_PSK
lab_genkey PRIV_C KEY_C; lab_genkey PRIV_D KEY_D
lab_wg "$A" set "$A" fwmark 0x1234 \
  peer "$KEY_C" endpoint "[2001:db8:1::3]:51999" allowed-ips 2001:db8:300::/64,203.0.113.200/32 \
  peer "$KEY_D" allowed-ips 198.51.100.0/24,2001:db8:200::/64,203.0.113.201/32 \
  || lab_die "wg set $A failed"

t_check "ping through the tunnel (v4) makes a handshake" lab_ping a "$(lab_tun4 "$B")"
t_check "ping through the tunnel (v6)" lab_ping a "$(lab_tun6 "$B")"

# one observation of all interfaces: dump, ours, dump again (counters may move in between)
lab_exec a wg show all dump >"$LAB_DIR/dump1" || lab_die "wg show all dump failed"
lab_exec a "$WGTRACK" show --json >"$LAB_DIR/json" 2>"$LAB_DIR/json.err"
rc=$?
lab_exec a wg show all dump >"$LAB_DIR/dump2"
t_eq "wgtrack show --json exits 0" 0 "$rc"
[ "$rc" -eq 0 ] || t_diag "$(cat "$LAB_DIR/json.err")"
t_check "wgtrack show --json prints valid JSON" jq -e '.interfaces | type == "array"' "$LAB_DIR/json"

# dump lines -> "iface<TAB>peer<TAB>endpoint<TAB>sorted-allowed<TAB>handshake<TAB>rx<TAB>tx<TAB>keepalive"
dump_peers() {
  awk -F'\t' 'NF == 9 {
      n = split($5, a, ","); s = ""
      # sort the allowed IPs (insertion sort: lists are short)
      for (i = 2; i <= n; i++) { v = a[i]; j = i - 1; while (j > 0 && a[j] > v) { a[j + 1] = a[j]; j-- } a[j + 1] = v }
      for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") a[i]
      if ($5 == "(none)") s = ""
      print $1 "\t" $2 "\t" $4 "\t" s "\t" $6 "\t" $7 "\t" $8 "\t" $9 }' "$1"
}
json_peers() {
  jq -r '.interfaces[] | .name as $n | .peers[] |
    [$n, .public_key, (.endpoint // "(none)"), (.allowed_ips | sort | join(",")),
     (.latest_handshake // 0 | tostring), (.rx_bytes | tostring), (.tx_bytes | tostring),
     (.persistent_keepalive // "off" | tostring)] | @tsv' "$1"
}
declare -A D1 D2 J
while IFS=$'\t' read -r i k rest; do D1[$i/$k]=$rest; done < <(dump_peers "$LAB_DIR/dump1")
while IFS=$'\t' read -r i k rest; do D2[$i/$k]=$rest; done < <(dump_peers "$LAB_DIR/dump2")
while IFS=$'\t' read -r i k rest; do J[$i/$k]=$rest; done < <(json_peers "$LAB_DIR/json" 2>/dev/null)

for ifn in "$A" "$B"; do
  d=$(awk -F'\t' -v n="$ifn" 'NF == 5 && $1 == n { print $3 "\t" $4 "\t" $5 }' "$LAB_DIR/dump1")
  IFS=$'\t' read -r dpub dport dfw <<<"$d"
  [ "$dfw" = off ] && dfw=0 || dfw=$((dfw))
  j=$(jq -r --arg n "$ifn" '.interfaces[] | select(.name == $n) |
        [.public_key, (.listen_port | tostring), (.fwmark // 0 | tostring), .backend] | @tsv' "$LAB_DIR/json" 2>/dev/null)
  IFS=$'\t' read -r jpub jport jfw jbackend <<<"$j"
  t_eq "$ifn: listed by wgtrack" 1 "$(jq --arg n "$ifn" '[.interfaces[] | select(.name == $n)] | length' "$LAB_DIR/json" 2>/dev/null)"
  t_eq "$ifn: public key" "$dpub" "$jpub"
  t_eq "$ifn: public key is the one we set" "$(lab_pub "$ifn")" "$jpub"
  t_eq "$ifn: listen port" "$dport" "$jport"
  t_eq "$ifn: fwmark" "$dfw" "$jfw"
  t_eq "$ifn: backend" userspace "$jbackend"
  dn=$(awk -F'\t' -v n="$ifn" 'NF == 9 && $1 == n' "$LAB_DIR/dump1" | wc -l)
  jn=$(jq --arg n "$ifn" '[.interfaces[] | select(.name == $n) | .peers[]] | length' "$LAB_DIR/json" 2>/dev/null)
  t_eq "$ifn: number of peers" "$dn" "$jn"
  for key in "${!D1[@]}"; do
    [ "${key%%/*}" = "$ifn" ] || continue
    pk=${key#*/}; tag="$ifn peer ${pk:0:8}"
    if [ -z "${J[$key]+x}" ]; then t_fail "$tag: listed by wgtrack"; continue; fi
    IFS=$'\t' read -r e1 a1 h1 rx1 tx1 k1 <<<"${D1[$key]}"
    IFS=$'\t' read -r e2 a2 h2 rx2 tx2 k2 <<<"${D2[$key]:-${D1[$key]}}"
    IFS=$'\t' read -r ej aj hj rxj txj kj <<<"${J[$key]}"
    if [ "$ej" = "$e1" ] || [ "$ej" = "$e2" ]; then t_ok "$tag: endpoint ($ej)"; else t_eq "$tag: endpoint" "$e1" "$ej"; fi
    t_eq "$tag: allowed ips" "$a1" "$aj"
    if [ "$hj" = "$h1" ] || [ "$hj" = "$h2" ]; then t_ok "$tag: latest handshake ($hj)"; else t_eq "$tag: latest handshake" "$h1" "$hj"; fi
    if [ "$rx1" -le "$rxj" ] 2>/dev/null && [ "$rxj" -le "$rx2" ]; then t_ok "$tag: rx bytes ($rx1 <= $rxj <= $rx2)"; else t_fail "$tag: rx bytes ($rx1 <= $rxj <= $rx2)"; fi
    if [ "$tx1" -le "$txj" ] 2>/dev/null && [ "$txj" -le "$tx2" ]; then t_ok "$tag: tx bytes ($tx1 <= $txj <= $tx2)"; else t_fail "$tag: tx bytes ($tx1 <= $txj <= $tx2)"; fi
    t_eq "$tag: persistent keepalive" "$k1" "$kj"
  done
done
# the fixture really covers what it claims
t_check "fixture: a peer with a v6 endpoint" grep -q $'\t\\[2001:db8:1::3\\]:51999\t' "$LAB_DIR/dump1"
t_check "fixture: a handshake happened" test "$(lab_wg "$A" show "$A" latest-handshakes | awk -v k="$(lab_pub "$B")" '$1 == k { print $2 }')" -gt 0
t_check "json: null endpoint for the peer without one" \
  jq -e --arg n "$A" --arg k "$KEY_D" '.interfaces[] | select(.name == $n) | .peers[] | select(.public_key == $k) | .endpoint == null and .latest_handshake == null and .persistent_keepalive == null' "$LAB_DIR/json"

# the IFACE filter
lab_exec a "$WGTRACK" show --json "$A" >"$LAB_DIR/json.A" 2>"$LAB_DIR/json.A.err"
t_eq "wgtrack show --json IFACE exits 0" 0 $?
t_eq "wgtrack show --json IFACE lists only IFACE" "$A" "$(jq -r '[.interfaces[].name] | join(",")' "$LAB_DIR/json.A" 2>/dev/null)"
t_eq "wgtrack show --json IFACE has its peers" 3 "$(jq '.interfaces[0].peers | length' "$LAB_DIR/json.A" 2>/dev/null)"
lab_exec b "$WGTRACK" show --json "$B" >"$LAB_DIR/json.B" 2>&1
t_eq "wgtrack show --json IFACE from the other namespace" "$B" "$(jq -r '[.interfaces[].name] | join(",")' "$LAB_DIR/json.B" 2>/dev/null)"

# the text form
lab_exec a "$WGTRACK" show >"$LAB_DIR/text" 2>"$LAB_DIR/text.err"
t_eq "wgtrack show (text) exits 0" 0 $?
lab_exec a "$WGTRACK" show "$A" >"$LAB_DIR/text.A" 2>&1
t_eq "wgtrack show IFACE (text) exits 0" 0 $?
for k in "$(lab_pub "$B")" "$KEY_C" "$KEY_D"; do
  t_check "text output names peer ${k:0:8}" grep -qF -- "$k" "$LAB_DIR/text.A"
done
t_check "text output (all) names $A" grep -qF -- "$A" "$LAB_DIR/text"
t_check "text output (all) names $B" grep -qF -- "$B" "$LAB_DIR/text"

# no secret in any output, base64 or hex
b64hex() { printf '%s' "$1" | base64 -d | od -An -v -tx1 | tr -d ' \n'; }
for name in "private key of $A=$(lab_priv "$A")" "private key of $B=$(lab_priv "$B")" "preshared key=$PSK"; do
  label=${name%%=*}; secret=${name#*=}
  hex=$(b64hex "$secret")
  if grep -qF -- "$secret" "$LAB_DIR"/json* "$LAB_DIR"/text*; then t_fail "no $label (base64) in any output"
  else t_ok "no $label (base64) in any output"; fi
  if grep -qiF -- "$hex" "$LAB_DIR"/json* "$LAB_DIR"/text*; then t_fail "no $label (hex) in any output"
  else t_ok "no $label (hex) in any output"; fi
done

# Note: the UAPI socket directory is shared by all namespaces, so `wgtrack show` in the root
# namespace sees these interfaces too (wg(8) does the same). That is expected; not checked.
t_done
