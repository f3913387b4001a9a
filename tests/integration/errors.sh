#!/usr/bin/env bash
# How `wgtrack show` fails: unknown interface, no permission on the UAPI socket, and a UAPI
# socket that accepts but never answers (a SIGSTOPped wireguard-go) -> a timeout, not a hang.
# Usage: errors.sh --wgtrack PATH [--labctl PATH]     (root; wireguard-go, wg, setpriv)
set -u
source "$(dirname "$0")/../lab/lab.sh"
lab_args "$@"
lab_need_bin WGTRACK
command -v setpriv >/dev/null || lab_die "missing setpriv (util-linux)"
lab_init

lab_ns_add a
lab_wg_add a A; lab_wg_add a H   # H: the one we freeze (same namespace is fine, no tunnel)
A=$(lab_if A); H=$(lab_if H)
lab_genkey PRIV_P KEY_P
lab_wg "$A" set "$A" peer "$KEY_P" allowed-ips 2001:db8:300::/64 || lab_die "wg set failed"

# run CMD...: rc, combined output and elapsed ms in RC, OUT, MS
run() {
  local t0=$EPOCHREALTIME
  OUT=$("$@" 2>&1); RC=$?
  MS=$(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 ))
}
says() { grep -qiE -- "$1" <<<"$OUT"; }

# --- unknown interface ---
NOSUCH=nosuchif0
if [ -e "$LAB_SOCK_DIR/$NOSUCH.sock" ] || ip link show "$NOSUCH" >/dev/null 2>&1; then
  lab_die "$NOSUCH exists on this machine"
fi
for mode in "" --json; do
  run lab_exec a "$WGTRACK" show $mode "$NOSUCH"
  t_check "show${mode:+ $mode} $NOSUCH: exits non-zero" test "$RC" -ne 0
  t_check "show${mode:+ $mode} $NOSUCH: says not found" says "not found|no such|does not exist"
  t_check "show${mode:+ $mode} $NOSUCH: names the interface" says "$NOSUCH"
  [ "$RC" -ne 0 ] && says "not found|no such|does not exist" || t_diag "rc=$RC output: $OUT"
done

# --- unprivileged user: the UAPI socket is root-only ---
# the binary must be reachable by nobody: copy it out of a possibly private build tree
mkdir -m 0755 "$LAB_DIR/bin" && cp "$WGTRACK" "$LAB_DIR/bin/wgtrack" && chmod 0755 "$LAB_DIR/bin/wgtrack"
NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
for mode in "" --json; do
  run lab_exec a "${NOBODY[@]}" "$LAB_DIR/bin/wgtrack" show $mode "$A"
  t_check "show${mode:+ $mode} as nobody: exits non-zero" test "$RC" -ne 0
  t_check "show${mode:+ $mode} as nobody: names the permission problem" says "permission|denied|privilege|root|CAP_NET_ADMIN"
  { [ "$RC" -ne 0 ] && says "permission|denied|privilege|root|CAP_NET_ADMIN"; } || t_diag "rc=$RC output: $OUT"
  t_check "show${mode:+ $mode} as nobody: no private key in the output" test "${OUT/"$(lab_priv "$A")"/}" = "$OUT"
done

# --- a UAPI socket that accepts but never answers ---
run lab_exec a "$WGTRACK" show "$H"
t_check "show $H before freezing: exits 0" test "$RC" -eq 0
lab_wg_freeze "$H"
for mode in "" --json; do
  run timeout -s KILL 30 ip netns exec "$(lab_ns a)" "$WGTRACK" show $mode "$H"
  t_check "show${mode:+ $mode} on a silent socket: exits non-zero" test "$RC" -ne 0
  t_check "show${mode:+ $mode} on a silent socket: was not killed by our 30 s guard" test "$RC" -ne 137
  t_check "show${mode:+ $mode} on a silent socket: gives up within 10 s (took $MS ms)" test "$MS" -lt 10000
  t_check "show${mode:+ $mode} on a silent socket: says timeout" says "time(d)? ?out|in time"
  says "time(d)? ?out|in time" || t_diag "rc=$RC output: $OUT"
done
lab_wg_thaw "$H"
run lab_exec a "$WGTRACK" show --json "$H"
t_check "show $H after thawing: exits 0" test "$RC" -eq 0
# `show` of everything while one interface is frozen must also come back (with an error or
# without that interface), never hang
lab_wg_freeze "$H"
run timeout -s KILL 30 ip netns exec "$(lab_ns a)" "$WGTRACK" show --json
t_check "show (all) with one silent socket comes back within 10 s (rc=$RC, $MS ms)" test "$MS" -lt 10000 -a "$RC" -ne 137
lab_wg_thaw "$H"
t_done
