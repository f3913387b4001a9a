# shellcheck shell=bash
# wgtrack lab: userspace WireGuard (wireguard-go) in network namespaces, torn down on exit.
#
#   source tests/lab/lab.sh
#   lab_init                                # root + tools check, random id, cleanup traps
#   lab_ns_add a; lab_ns_add b              # namespaces wgtl-<id>-a, wgtl-<id>-b (lo up)
#   lab_veth a va b vb                      # veth pair va (in a) <-> vb (in b), both up
#   lab_addr a va 192.0.2.1/24; lab_addr b vb 192.0.2.2/24
#   lab_wg_add a A; lab_wg_add b B          # wireguard-go interfaces, keys, tunnel addresses
#   lab_pair --keepalive 5 "$(lab_if A)" "$(lab_if B)" 192.0.2.2:"$(lab_port "$(lab_if B)")"
#   lab_ping a "$(lab_tun4 "$(lab_if B)")"
#
# Rules:
# - Call the functions that CREATE things (lab_ns_add, lab_wg_add, lab_pair, lab_add_fake_peers,
#   lab_blackhole, ...) in the main shell, never inside $(...): they record what to clean up in
#   shell variables. The lookups (lab_if, lab_ns, lab_pub, lab_tun4, ...) are fine in $(...).
# - Cleanup runs from the EXIT trap (INT/TERM/HUP exit through it; an ERR under `set -e` exits
#   through it too). If you need your own exit work, register it with lab_on_exit CMD instead of
#   replacing the trap.
# - Addresses: underlay 192.0.2.0/24, 198.51.100.0/24, 2001:db8:1::/48..; tunnels 203.0.113.1-127
#   and 2001:db8:100::/64; fake peers 203.0.113.128/25, 2001:db8:e::/48, 2001:db8:f::/48.
# - Everything we create carries the lab id: namespaces wgtl-<id>-<name>, interfaces
#   wt<id><name>. /var/run/wireguard is shared by every namespace, so interface names must be
#   unique machine-wide. A lab whose owner died without cleanup (SIGKILL) is swept by the next
#   lab_init (registry in /run/wgtrack-lab/<id>).

LAB_ID=""
LAB_DIR=""
LAB_SOCK_DIR=/var/run/wireguard
LAB_REG_ROOT=/run/wgtrack-lab
LAB_NS_LIST=()
LAB_EXIT_HOOKS=()
declare -A LAB_WG_PID=() LAB_WG_NS=() LAB_PRIV=() LAB_PUB=() LAB_PORT=() LAB_TUN4=() LAB_TUN6=()
declare -A LAB_FAKE_NEXT=()
LAB_TUN_NEXT=1
LAB_LAST_PSK=""
LAB_FAKE_CONF=""

lab_log() { echo "# $*" >&2; }
lab_die() { echo "lab: FATAL: $*" >&2; exit 1; }

# --- setup / teardown --------------------------------------------------------------------------

lab_init() {
  [ "$(id -u)" -eq 0 ] || lab_die "needs root (network namespaces, wireguard-go, nft); run as root or with sudo"
  local t
  for t in ip wg wireguard-go nft ping od awk; do
    command -v "$t" >/dev/null 2>&1 || lab_die "missing '$t' (install with scripts/install-deps.sh test)"
  done
  [ -c /dev/net/tun ] || lab_die "/dev/net/tun missing: wireguard-go cannot create interfaces"
  lab_gc
  LAB_ID=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
  LAB_DIR=$(mktemp -d /tmp/wgtrack-lab."$LAB_ID".XXXXXX) || lab_die "mktemp failed"
  chmod 0711 "$LAB_DIR"
  mkdir -m 0700 "$LAB_DIR/keys"
  mkdir -p "$LAB_REG_ROOT/$LAB_ID" || lab_die "cannot create $LAB_REG_ROOT/$LAB_ID"
  echo "$$" >"$LAB_REG_ROOT/$LAB_ID/owner"
  echo "$LAB_DIR" >"$LAB_REG_ROOT/$LAB_ID/dir"
  trap lab_cleanup EXIT
  trap 'lab_log "interrupted"; exit 130' INT
  trap 'lab_log "terminated"; exit 143' TERM
  trap 'exit 129' HUP
  trap 'case $- in *e*) lab_log "command failed (line $LINENO): $BASH_COMMAND";; esac' ERR
  lab_log "lab $LAB_ID (dir $LAB_DIR)"
}

lab_on_exit() { LAB_EXIT_HOOKS+=("$*"); }

# lab_spawn NAME NS CMD...: start CMD in namespace NS in the background (stdout+stderr to
# $LAB_DIR/NAME.log); its PID is in LAB_PROC_PID[NAME] and cleanup stops it (TERM, then KILL).
# Call it in the main shell (not in $(...)): `ip netns exec` execs CMD, so the PID is CMD's.
declare -A LAB_PROC_PID=()
lab_spawn() {
  local name=$1 ns=$2; shift 2
  ip netns exec "$(lab_ns "$ns")" "$@" >"$LAB_DIR/$name.log" 2>&1 &
  LAB_PROC_PID[$name]=$!
}
lab_pid() { echo "${LAB_PROC_PID[$1]}"; }

# Kill one PID we started: TERM, wait up to 3 s, then KILL; reap if it is our child.
lab__stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -CONT "$pid" 2>/dev/null   # a frozen (SIGSTOPped) daemon cannot act on TERM
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    # a zombie child counts as alive for kill -0; check its state
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
    sleep 0.05
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

lab_cleanup() {
  local rc=$? h ifn ns
  [ -n "$LAB_ID" ] || return "$rc"
  trap '' INT TERM HUP
  for h in "${LAB_EXIT_HOOKS[@]}"; do eval "$h" || true; done
  for ifn in "${!LAB_PROC_PID[@]}"; do
    lab__stop_pid "${LAB_PROC_PID[$ifn]}"
  done
  LAB_PROC_PID=()
  for ifn in "${!LAB_WG_PID[@]}"; do
    lab__stop_pid "${LAB_WG_PID[$ifn]}"
  done
  for ifn in "${!LAB_WG_PID[@]}"; do
    rm -f "$LAB_SOCK_DIR/$ifn.sock"   # only our own interfaces' sockets
  done
  for ns in "${LAB_NS_LIST[@]}"; do
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$LAB_DIR" "${LAB_REG_ROOT:?}/$LAB_ID"
  LAB_WG_PID=(); LAB_NS_LIST=()
  LAB_ID=""
  trap - INT TERM HUP ERR
  return "$rc"
}

# Sweep labs whose owner process is gone (killed with SIGKILL, e.g. by a test timeout).
lab_gc() {
  local d owner pid ns ifn
  [ -d "$LAB_REG_ROOT" ] || return 0
  for d in "$LAB_REG_ROOT"/*/; do
    [ -f "$d/owner" ] || { rm -rf "$d"; continue; }
    owner=$(cat "$d/owner")
    kill -0 "$owner" 2>/dev/null && continue
    lab_log "sweeping stale lab $(basename "$d") (owner $owner gone)"
    if [ -f "$d/pids" ]; then
      while read -r pid; do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = wireguard-go ] || continue
        kill -CONT "$pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null
        sleep 0.2; kill -KILL "$pid" 2>/dev/null
      done <"$d/pids"
    fi
    if [ -f "$d/ifs" ]; then
      while read -r ifn; do rm -f "$LAB_SOCK_DIR/$ifn.sock"; done <"$d/ifs"
    fi
    if [ -f "$d/ns" ]; then
      while read -r ns; do ip netns del "$ns" 2>/dev/null; done <"$d/ns"
    fi
    if [ -f "$d/dir" ]; then
      case $(cat "$d/dir") in /tmp/wgtrack-lab.*) rm -rf "$(cat "$d/dir")" ;; esac
    fi
    rm -rf "$d"
  done
  return 0
}

# --- namespaces and links ----------------------------------------------------------------------

lab_ns() { echo "wgtl-$LAB_ID-$1"; }
lab_exec() { local n=$1; shift; ip netns exec "$(lab_ns "$n")" "$@"; }

lab_ns_add() {
  local ns; ns=$(lab_ns "$1")
  ip netns add "$ns" || lab_die "ip netns add $ns failed"
  LAB_NS_LIST+=("$ns")
  echo "$ns" >>"$LAB_REG_ROOT/$LAB_ID/ns"
  ip -n "$ns" link set lo up
  # no ICMP rate limiting surprises, no DAD delays on any v6 address we add later
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 2>/dev/null || true
}

# lab_veth NS1 DEV1 NS2 DEV2: a veth pair created directly in the namespaces, both ends up.
lab_veth() {
  ip link add "$2" netns "$(lab_ns "$1")" type veth peer name "$4" netns "$(lab_ns "$3")" \
    || lab_die "veth $1/$2 <-> $3/$4 failed"
  ip -n "$(lab_ns "$1")" link set "$2" up
  ip -n "$(lab_ns "$3")" link set "$4" up
}

# lab_addr NS DEV ADDR/PREFIX (IPv6 gets nodad so it is usable at once)
lab_addr() {
  local extra=()
  case $3 in *:*) extra=(nodad) ;; esac
  ip -n "$(lab_ns "$1")" addr add "$3" dev "$2" "${extra[@]}" || lab_die "addr $3 on $1/$2 failed"
}

# --- wireguard-go interfaces -------------------------------------------------------------------

lab_if() { echo "wt$LAB_ID$1"; }
lab_pub() { echo "${LAB_PUB[$1]}"; }
lab_priv() { echo "${LAB_PRIV[$1]}"; }
lab_port() { echo "${LAB_PORT[$1]}"; }
lab_tun4() { echo "${LAB_TUN4[$1]}"; }
lab_tun6() { echo "${LAB_TUN6[$1]}"; }
lab_wg_pid() { echo "${LAB_WG_PID[$1]}"; }
lab_wg_nsof() { echo "${LAB_WG_NS[$1]}"; }

# lab_genkey PRIVVAR PUBVAR
lab_genkey() {
  local k p
  k=$(wg genkey) && p=$(printf '%s\n' "$k" | wg pubkey) || lab_die "wg genkey failed"
  printf -v "$1" '%s' "$k"; printf -v "$2" '%s' "$p"
}

# lab_wg_start NS SHORT: start `wireguard-go -f` for interface wt<id>SHORT in NS, wait for its
# UAPI socket. No keys, no addresses (see lab_wg_add for a ready-to-use interface).
lab_wg_start() {
  local n=$1 ifn pid i
  ifn=$(lab_if "$2")
  [ ${#ifn} -le 15 ] || lab_die "interface name $ifn longer than 15 chars"
  [ -e "$LAB_SOCK_DIR/$ifn.sock" ] && lab_die "$LAB_SOCK_DIR/$ifn.sock already exists"
  WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 \
    ip netns exec "$(lab_ns "$n")" wireguard-go -f "$ifn" >"$LAB_DIR/wireguard-go.$ifn.log" 2>&1 &
  pid=$!
  LAB_WG_PID[$ifn]=$pid
  LAB_WG_NS[$ifn]=$n
  echo "$pid" >>"$LAB_REG_ROOT/$LAB_ID/pids"
  echo "$ifn" >>"$LAB_REG_ROOT/$LAB_ID/ifs"
  for ((i = 0; i < 200; i++)); do
    [ -S "$LAB_SOCK_DIR/$ifn.sock" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.025
  done
  cat "$LAB_DIR/wireguard-go.$ifn.log" >&2
  lab_die "wireguard-go $ifn did not create its UAPI socket"
}

# lab_wg_add NS SHORT [PORT]: wireguard-go interface with a fresh key, listen port (default
# 51820+n), tunnel addresses 203.0.113.n/24 and 2001:db8:100::n/64, link up.
# One such interface per namespace (the tunnel subnets would clash otherwise).
lab_wg_add() {
  local n=$1 ifn idx port priv pub
  ifn=$(lab_if "$2")
  lab_wg_start "$n" "$2"
  idx=$LAB_TUN_NEXT; LAB_TUN_NEXT=$((LAB_TUN_NEXT + 1))
  [ "$idx" -le 127 ] || lab_die "too many lab interfaces"
  port=${3:-$((51820 + idx))}
  lab_genkey priv pub
  printf '%s\n' "$priv" >"$LAB_DIR/keys/$ifn.key"
  LAB_PRIV[$ifn]=$priv; LAB_PUB[$ifn]=$pub; LAB_PORT[$ifn]=$port
  LAB_TUN4[$ifn]=203.0.113.$idx; LAB_TUN6[$ifn]=2001:db8:100::$idx
  lab_exec "$n" wg set "$ifn" private-key "$LAB_DIR/keys/$ifn.key" listen-port "$port" \
    || lab_die "wg set $ifn failed"
  lab_addr "$n" "$ifn" "203.0.113.$idx/24"
  lab_addr "$n" "$ifn" "2001:db8:100::$idx/64"
  ip -n "$(lab_ns "$n")" link set "$ifn" up || lab_die "link up $ifn failed"
}

# lab_wg IFNAME ARGS...: `wg ARGS...` in the interface's namespace
lab_wg() { local ifn=$1; shift; lab_exec "${LAB_WG_NS[$ifn]}" wg "$@"; }

# lab_pair [--keepalive N] [--psk] IF_A IF_B ENDPOINT_OF_B
# Makes A (initiator) and B (responder) peers: B learns A without an endpoint (it roams), A gets
# B's ENDPOINT. The responder is configured first: an initiation that reaches a side without its
# key is lost and the next one would come only 5 s later. --psk sets a fresh preshared key on
# both sides (kept in LAB_LAST_PSK).
lab_pair() {
  local ka="" psk="" a b ep pskf="" ka_args=() psk_args=()
  while [ $# -gt 0 ]; do
    case $1 in
      --keepalive) ka=$2; shift 2 ;;
      --psk) psk=1; shift ;;
      *) break ;;
    esac
  done
  a=$1 b=$2 ep=$3
  if [ -n "$psk" ]; then
    LAB_LAST_PSK=$(wg genpsk)
    pskf="$LAB_DIR/keys/psk.$a.$b"
    printf '%s\n' "$LAB_LAST_PSK" >"$pskf"
    psk_args=(preshared-key "$pskf")
  fi
  [ -n "$ka" ] && ka_args=(persistent-keepalive "$ka")
  lab_wg "$b" set "$b" peer "${LAB_PUB[$a]}" "${psk_args[@]}" \
    allowed-ips "${LAB_TUN4[$a]}/32,${LAB_TUN6[$a]}/128" || lab_die "responder $b: wg set failed"
  lab_wg "$a" set "$a" peer "${LAB_PUB[$b]}" "${psk_args[@]}" endpoint "$ep" "${ka_args[@]}" \
    allowed-ips "${LAB_TUN4[$b]}/32,${LAB_TUN6[$b]}/128" || lab_die "initiator $a: wg set failed"
}

# lab_hub_site [--site-initiates] [lab_pair options]: the two-host lab most tests use — namespaces
# hub and site joined by veth vh (192.0.2.1) <-> vs (192.0.2.2), a wireguard-go interface in
# each (names in H and S), paired (by default the hub initiates towards the site; with
# --site-initiates the site dials the hub), and one echo through the tunnel.
lab_hub_site() {
  local site_first=""
  [ "${1:-}" = --site-initiates ] && { site_first=1; shift; }
  lab_ns_add hub; lab_ns_add site
  lab_veth hub vh site vs
  lab_addr hub vh 192.0.2.1/24; lab_addr site vs 192.0.2.2/24
  lab_wg_add hub H; lab_wg_add site S
  H=$(lab_if H); S=$(lab_if S)
  if [ -n "$site_first" ]; then
    lab_pair "$@" "$S" "$H" "192.0.2.1:$(lab_port "$H")"
    lab_ping site "$(lab_tun4 "$H")" >/dev/null
  else
    lab_pair "$@" "$H" "$S" "192.0.2.2:$(lab_port "$S")"
    lab_ping hub "$(lab_tun4 "$S")" >/dev/null
  fi
}

# lab_ping NS ADDR [DEADLINE_S]: success as soon as one echo reply comes back (default 3 s).
lab_ping() {
  lab_exec "$1" ping -n -q -c 1 -i 0.2 -w "${3:-3}" "$2" >/dev/null 2>&1
}

# Freeze / thaw a wireguard-go: while stopped its UAPI socket still accepts connections (the
# kernel queues them) but nothing ever answers.
lab_wg_freeze() { kill -STOP "${LAB_WG_PID[$1]}"; }
lab_wg_thaw() { kill -CONT "${LAB_WG_PID[$1]}"; }

# lab_wg_stop IFNAME: stop one interface's wireguard-go now (cleanup would do it anyway).
lab_wg_stop() {
  lab__stop_pid "${LAB_WG_PID[$1]}"
  rm -f "$LAB_SOCK_DIR/$1.sock"
}

# --- fake peers --------------------------------------------------------------------------------

# lab_fake_peers_conf N FIRST: print a `wg addconf` file of N random peers numbered FIRST..,
# without spawning a process per peer (od + awk). Peer i gets 2001:db8:f:<i hex>::/64; odd i
# also a second allowed IP (203.0.113.(128+i)/32 for i < 128, else 2001:db8:e:<i hex>::1/128);
# i%3==0 a v4 endpoint 192.0.2.x, i%3==1 (even i) a v6 endpoint [2001:db8:ffff::x]; others none.
lab_fake_peers_conf() {
  local n=$1 first=${2:-1}
  [ $((first + n - 1)) -le 65535 ] || lab_die "fake peer index beyond 65535 (wireguard-go's limit is 65536 peers)"
  head -c $((n * 32)) /dev/urandom | od -An -v -tu1 -w32 | awk -v first="$first" '
    BEGIN { b = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            for (k = 0; k < 64; k++) c[k] = substr(b, k + 1, 1); i = first - 1 }
    {
      i++; s = ""
      for (j = 1; j <= 30; j += 3) {
        v = $j * 65536 + $(j + 1) * 256 + $(j + 2)
        s = s c[int(v / 262144)] c[int(v / 4096) % 64] c[int(v / 64) % 64] c[v % 64]
      }
      v = $31 * 65536 + $32 * 256
      s = s c[int(v / 262144)] c[int(v / 4096) % 64] c[int(v / 64) % 64] "="
      a = sprintf("2001:db8:f:%x::/64", i)
      if (i % 2 == 1) a = a ", " (i < 128 ? sprintf("203.0.113.%d/32", 128 + i) : sprintf("2001:db8:e:%x::1/128", i))
      printf "[Peer]\nPublicKey = %s\nAllowedIPs = %s\n", s, a
      if (i % 3 == 0) printf "Endpoint = 192.0.2.%d:%d\n", 10 + i % 240, 20000 + i % 40000
      else if (i % 3 == 1 && i % 2 == 0) printf "Endpoint = [2001:db8:ffff::%x]:%d\n", i, 20000 + i % 40000
      printf "\n"
    }'
}

# lab_add_fake_peers IFNAME N: add N random peers to a lab interface (wg addconf). The generated
# file stays in LAB_FAKE_CONF until cleanup. Repeated calls continue the numbering.
lab_add_fake_peers() {
  local ifn=$1 n=$2 first
  first=${LAB_FAKE_NEXT[$ifn]:-1}
  LAB_FAKE_NEXT[$ifn]=$((first + n))
  LAB_FAKE_CONF="$LAB_DIR/fake.$ifn.$first.conf"
  lab_fake_peers_conf "$n" "$first" >"$LAB_FAKE_CONF" || lab_die "generating fake peers failed"
  lab_wg "$ifn" addconf "$ifn" "$LAB_FAKE_CONF" || lab_die "wg addconf $ifn ($n peers) failed"
}

# --- black holes -------------------------------------------------------------------------------

# lab_blackhole NS DEV: drop everything arriving on DEV in NS (sendto still succeeds on the far
# side, exactly like a dead path). lab_heal NS DEV removes it.
lab_blackhole() {
  local t="lab_bh_${2//[^A-Za-z0-9_]/_}"
  lab_exec "$1" nft -f - <<EOF || lab_die "nft black hole on $1/$2 failed"
table inet $t {
  chain input { type filter hook input priority -10; policy accept; iifname "$2" drop; }
}
EOF
}
lab_heal() {
  lab_exec "$1" nft delete table inet "lab_bh_${2//[^A-Za-z0-9_]/_}" || lab_die "nft heal on $1/$2 failed"
}

# lab_oneway NS ENDPOINT: from NS, drop UDP to ENDPOINT (ip:port or [ip6]:port) only, replacing
# the previous such rule: ICMP to it and everything coming back still pass (a firewall or DNAT
# broken in one direction). lab_oneway_off NS removes it.
lab_oneway() {
  local addr=${2%:*} port=${2##*:} fam=ip
  addr=${addr#[}; addr=${addr%]}
  case $addr in *:*) fam=ip6 ;; esac
  if ! lab_exec "$1" nft list table inet lab_oneway >/dev/null 2>&1; then
    lab_exec "$1" nft add table inet lab_oneway || lab_die "nft one-way on $1 failed"
    lab_exec "$1" nft add chain inet lab_oneway out \
      '{ type filter hook output priority 0; policy accept; }' || lab_die "nft one-way on $1 failed"
  fi
  lab_exec "$1" nft flush chain inet lab_oneway out
  lab_exec "$1" nft add rule inet lab_oneway out "$fam" daddr "$addr" udp dport "$port" drop \
    || lab_die "nft one-way rule on $1 failed"
}
lab_oneway_off() { lab_exec "$1" nft delete table inet lab_oneway 2>/dev/null || true; }

# --- test output (TAP-ish) ---------------------------------------------------------------------

T_N=0
T_FAIL=0
t_ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
t_fail() { T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1)); echo "not ok $T_N - $*"; }
# t_check DESC CMD...: ok if CMD succeeds (its stdout is discarded, stderr kept)
t_check() { local d=$1; shift; if "$@" >/dev/null; then t_ok "$d"; else t_fail "$d"; fi; }
# t_eq DESC EXPECTED ACTUAL
t_eq() {
  if [ "$2" = "$3" ]; then t_ok "$1"; else
    t_fail "$1"; printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"
  fi
}
t_diag() { printf '#   %s\n' "$@"; }
# t_done: print the plan and exit non-zero if anything failed
t_done() {
  echo "1..$T_N"
  if [ "$T_FAIL" -gt 0 ]; then echo "# FAILED $T_FAIL of $T_N"; exit 1; fi
  echo "# all $T_N passed"; exit 0
}

# lab_args "$@": parse --wgtrack PATH --labctl PATH (defaults: $WGTRACK/$WGTRACK_LABCTL or PATH)
WGTRACK=${WGTRACK:-}
LABCTL=${WGTRACK_LABCTL:-}
LAB_REST_ARGS=()
lab_args() {
  while [ $# -gt 0 ]; do
    case $1 in
      --wgtrack) WGTRACK=$2; shift 2 ;;
      --labctl) LABCTL=$2; shift 2 ;;
      *) LAB_REST_ARGS+=("$1"); shift ;;
    esac
  done
  [ -n "$WGTRACK" ] || WGTRACK=$(command -v wgtrack || true)
  [ -n "$LABCTL" ] || LABCTL=$(command -v wgtrack-labctl || true)
}
lab_need_bin() {
  local v
  for v in "$@"; do
    [ -n "${!v}" ] && [ -x "${!v}" ] || lab_die "binary for $v not found or not executable ('${!v}'): pass --wgtrack/--labctl"
    printf -v "$v" '%s' "$(readlink -f "${!v}")"
  done
}
