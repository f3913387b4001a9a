#!/bin/sh
# guest-init.sh - /init of the kernel-lab guest (see kernel-lab.sh, which builds the initramfs).
# Runs under busybox sh as PID 1: no `set -e` (if /init exits the kernel panics and the host
# only sees "no summary"). Results go to ttyS1 (fd 3) as TAP-ish lines and a final
# `WGTEST: N passed, N failed`.
#
# Topology (all addresses from the documentation ranges):
#   ns1: veth1 192.0.2.1/24 198.51.100.1/24 2001:db8:1::1/64
#        wg1 :51820 fwmark 0x1234  203.0.113.1/28 2001:db8:a::1/64 (to wg2), 203.0.113.17/28 2001:db8:b::1/64 (to wg4)
#          peers P2 (wg2, endpoint 192.0.2.2:51820, preshared key), P4 (wg4, [2001:db8:1::2]:51821,
#          keepalive 25), P5 (link-local [fe80::2%veth1]:51822, nobody there), P6 (nothing set)
#   ns2: veth2 192.0.2.2/24 198.51.100.2/24 2001:db8:1::2/64 fe80::2/64; wg2 :51820, wg4 :51821
#   root: wg3 (down) with 1000 peers from /lab/wg3.conf
# Debian's busybox sh runs its own applets before PATH (FEATURE_SH_STANDALONE): iproute2 is
# called as /usr/bin/ip.
export PATH=/usr/local/bin:/usr/bin:/bin:/sbin:/usr/sbin
IP=/usr/bin/ip
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /var/run/wireguard /tmp/wgt
stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1
. /lab/env
pass=0 fail=0
say() { echo "$*" >&3; echo "$*"; }
up() { cut -d' ' -f1 /proc/uptime; }
# check DESCRIPTION CMD...: one TAP line; on failure the command's output as # comments
check() {
	d=$1; shift
	if "$@" >/tmp/out 2>&1; then
		pass=$((pass + 1)); say "ok - $d  # t=$(up)s"
	else
		fail=$((fail + 1)); say "not ok - $d  # t=$(up)s"
		head -n 60 /tmp/out | sed 's/^/#   /' >&3
	fi
}
# nsrun NS CMD...: run CMD in network namespace NS ("-" = the root namespace)
if nsenter --help 2>&1 | grep -q -- --net; then
	nsrun() { n=$1; shift; if [ "$n" = - ]; then "$@"; else nsenter --net="/run/netns/$n" "$@"; fi; }
else
	nsrun() { n=$1; shift; if [ "$n" = - ]; then "$@"; else $IP netns exec "$n" "$@"; fi; }
fi
in1() { nsrun ns1 "$@"; }
in2() { nsrun ns2 "$@"; }
# w NAME NS CMD...: run a binary under test in NS, keep stdout/stderr in /tmp/wgt/NAME.{out,err}
# (all of them are scanned for secrets at the end); returns its exit status
w() {
	n=$1; ns=$2; shift 2
	nsrun "$ns" timeout 60 "$@" >"/tmp/wgt/$n.out" 2>"/tmp/wgt/$n.err"
}
show() { # show NAME: print a captured output (for failure diagnostics)
	echo "-- exit/stdout/stderr of $1:"; head -c 3000 "/tmp/wgt/$1.out"; echo; head -c 2000 "/tmp/wgt/$1.err"
}

say "# kernel $(uname -r), uptime $(up)s"
for m in $(cat /mods/order); do insmod "/mods/$m" || say "# insmod $m failed"; done
check "wireguard module loaded ($(cat /sys/module/wireguard/version 2>/dev/null))" test -d /sys/module/wireguard

setup() {
	$IP -b /lab/root.ip &&
		$IP -n ns2 -b /lab/ns2.ip &&
		in2 sh -c 'wg setconf wg2 /lab/wg2.conf && wg setconf wg4 /lab/wg4.conf' &&
		$IP -n ns2 -b - <<-EOF &&
			link set wg2 up
			link set wg4 up
		EOF
		$IP -n ns1 -b /lab/ns1.ip &&
		in1 wg setconf wg1 /lab/wg1.conf &&
		$IP -n ns1 link set wg1 up # last: P4's keepalive starts a handshake at once
}
check "netns ns1/ns2 + veth + wg1 (4 peers), wg2, wg4" setup
check "(a) ping 203.0.113.2 via wg1->wg2 (v4 endpoint)" in1 ping -A -c 3 -W 3 203.0.113.2
check "(a) ping6 2001:db8:a::2 via wg1->wg2 (v4 endpoint)" in1 ping -6 -A -c 3 -W 3 2001:db8:a::2
check "(a) ping 203.0.113.18 via wg1->wg4 (v6 endpoint)" in1 ping -A -c 3 -W 3 203.0.113.18
check "(a) ping6 2001:db8:b::2 via wg1->wg4 (v6 endpoint)" in1 ping -6 -A -c 3 -W 3 2001:db8:b::2
handshakes() {
	in1 wg show all dump
	in1 wg show all dump | awk -v a="$P2" -v b="$P4" '
		NF == 9 && ($2 == a || $2 == b) && $6 > 0 && $7 > 0 && $8 > 0 { n++ } END { exit n != 2 }'
}
check "wg show all dump: handshakes + rx/tx on P2 and P4" handshakes

# Comparison of `wgtrack show --json` with `wg show all dump` (taken right before, d0, and right
# after, d1). Prints one line per mismatch (at most 40 + a count); no output = equal.
cat >/tmp/cmp.jq <<'EOF'
def hexnum: if startswith("0x") then .[2:] | ascii_downcase | explode
	| reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end)) else tonumber end;
def rows($t): $t | split("\n") | map(select(length > 0) | split("\t"));
def devs($r): $r | map(select(length == 5) | {key: .[0], value: {
	public_key: (if .[2] == "(none)" then null else .[2] end),
	listen_port: (.[3] | tonumber),
	fwmark: (if .[4] == "off" then 0 else (.[4] | hexnum) end)}}) | from_entries;
def peers($r; $dev): $r | map(select(length == 9 and .[0] == $dev) | {key: .[1], value: {
	endpoint: (if .[3] == "(none)" then null else .[3] end),
	allowed_ips: (if .[4] == "(none)" then [] else (.[4] | split(",") | sort) end),
	latest_handshake: (.[5] | tonumber | if . == 0 then null else . end),
	rx_bytes: (.[6] | tonumber), tx_bytes: (.[7] | tonumber),
	persistent_keepalive: (if .[8] == "off" then null else (.[8] | tonumber) end)}}) | from_entries;
def short: if type == "string" and length > 12 then .[0:8] + "..." else . end;
def ne($a; $b; $what): if $a == $b then empty else "\($what): json \($a | tojson) != dump \($b | tojson)" end;
rows($d0) as $r0 | (if $d1 == $d0 then $r0 else rows($d1) end) as $r1 | devs($r0) as $dv
| ($j[0].interfaces // error("no .interfaces in the JSON")) as $ji
| [ ne($ji | map(.name) | sort; $dv | keys; "interface names"),
    ($ji[] | . as $i | $dv[$i.name] as $d | select($d != null)
     | ne($i.backend; "kernel"; "\($i.name) backend"),
       ne($i.public_key; $d.public_key; "\($i.name) public_key"),
       ne($i.listen_port; $d.listen_port; "\($i.name) listen_port"),
       ne($i.fwmark // 0; $d.fwmark; "\($i.name) fwmark"),
       (peers($r0; $i.name) as $p0 | (if $d1 == $d0 then $p0 else peers($r1; $i.name) end) as $p1
        | ($i.peers | map(select(.public_key | type == "string") | {key: .public_key, value: .}) | from_entries) as $jp
        | ne($i.peers | length; $p0 | length; "\($i.name) peer count"),
          ($i.peers[] | select(.public_key | type != "string") | "\($i.name): peer entry without a public_key: \(tojson | .[0:200])"),
          ne($jp | length; $i.peers | length; "\($i.name) distinct peer keys"),
          ($p0 | keys[] | select($jp[.] == null) | "\($i.name) peer \(.) missing in json"),
          ($jp | keys[] | select($p0[.] == null) | "\($i.name) peer \(.) in json but not in dump"),
          ($p0 | to_entries[] | .key as $k | .value as $a | ($p1[$k] // $a) as $b | $jp[$k] as $x
           | select($x != null) | "\($i.name) peer \($k | short)" as $n
           | ne($x.endpoint; $a.endpoint; "\($n) endpoint"),
             (($x.allowed_ips | if type == "array" then sort else . end) as $xa
              | if $xa == $a.allowed_ips then empty
                elif ($xa | type) != "array" then "\($n) allowed_ips: json \($xa | tojson) is not an array"
                else ($xa | map({key: ., value: 1}) | from_entries) as $xs
                  | ($a.allowed_ips | map({key: ., value: 1}) | from_entries) as $ds
                  | "\($n) allowed_ips: json has \($xa | length), dump \($a.allowed_ips | length);" +
                    " missing in json \([$a.allowed_ips[] | select($xs[.] == null)] | .[0:5] | tojson)," +
                    " extra in json \([$xa[] | select($ds[.] == null)] | .[0:5] | tojson)" end),
             ne($x.persistent_keepalive; $a.persistent_keepalive; "\($n) persistent_keepalive"),
             (if $x.latest_handshake == $a.latest_handshake or $x.latest_handshake == $b.latest_handshake
              then empty else "\($n) latest_handshake: json \($x.latest_handshake | tojson) not in dumps \($a.latest_handshake | tojson)/\($b.latest_handshake | tojson)" end),
             (("rx_bytes", "tx_bytes") as $f
              | if ($x[$f] | type) == "number" and $x[$f] >= $a[$f] and $x[$f] <= $b[$f] then empty
                else "\($n) \($f): json \($x[$f] | tojson) not in [\($a[$f]), \($b[$f])]" end)))) ]
| (.[0:40][]), (if length > 40 then "... \(length - 40) more mismatches" else empty end)
EOF
# jsoncmp DUMP0 DUMP1 JSONNAME: compare, print mismatches
jsoncmp() {
	jq -rn --rawfile d0 "$1" --rawfile d1 "$2" --slurpfile j "/tmp/wgt/$3.out" -f /tmp/cmp.jq >/tmp/cmp.out 2>&1
	r=$?
	cat /tmp/cmp.out
	[ $r = 0 ] && [ ! -s /tmp/cmp.out ]
}
rc_is() { # rc_is WANT GOT NAME
	[ "$1" = "$2" ] && return 0
	echo "exit status $2, expected $1"; show "$3"; return 1
}
names_keys() { # names_keys NAME...: each output names wg1 and every peer key, exit 0
	for n in "$@"; do
		for k in wg1 "$P2" "$P4" "$P5" "$P6"; do
			grep -qF -- "$k" "/tmp/wgt/$n.out" || { echo "$n: no $k"; show "$n"; return 1; }
		done
	done
}
text_endpoints() { # text_endpoints DUMP NAME...: every endpoint of the dump appears in each text output
	r=
	awk -F'\t' 'NF == 9 && $4 != "(none)" {print $4}' "$1" >/tmp/eps
	shift
	for n in "$@"; do
		while read -r ep; do
			grep -qF -- "$ep" "/tmp/wgt/$n.out" || { echo "$n: endpoint $ep (from wg show dump) missing"; r=1; }
		done </tmp/eps
	done
	[ -z "$r" ] || { grep -i endpoint "/tmp/wgt/$1.out"; return 1; }
}
endpoint_is() { # endpoint_is KEY ENDPOINT: `wg show wg1 endpoints` in ns1
	got=$(in1 wg show wg1 endpoints | awk -v k="$1" '$1 == k {print $2}')
	echo "endpoint of $1: '$got', expected '$2'"
	[ "$got" = "$2" ]
}
same_file() { cmp "$1" "$2" || { echo "--- before"; cat "$1"; echo "--- after"; cat "$2"; return 1; }; }
no_peer() { # no_peer KEY: not in `wg show wg1 peers`
	echo "must be absent: $1"
	in1 wg show wg1 peers
	! in1 wg show wg1 peers | grep -qxF -- "$1"
}
not_found_msg() { # not_found_msg NAME: non-zero exit + a "not found"-style message
	[ "$rc_nf" != 0 ] || { echo "exit 0"; show "$1"; return 1; }
	cat "/tmp/wgt/$1.out" "/tmp/wgt/$1.err"
	cat "/tmp/wgt/$1.out" "/tmp/wgt/$1.err" | grep -qiE 'not found|no such (device|interface)|does not exist|unknown (device|interface)|ENODEV'
}
count_line() { # count_line NAME REGEX
	grep -E -- "$2" "/tmp/wgt/$1.out" || { echo "no line matching /$2/"; show "$1"; return 1; }
}
count_peers() { # count_peers DUMP IFACE N
	n=$(awk -F'\t' -v i="$2" 'NF == 9 && $1 == i {n++} END {print n + 0}' "$1")
	echo "$2: $n peers in the dump, expected $3"
	[ "$n" = "$3" ]
}
no_secrets() {
	echo "$(ls /tmp/wgt | wc -l) output files scanned"
	if grep -F -f /lab/secrets /tmp/wgt/*; then echo "SECRET LEAKED (lines above)"; return 1; fi
	return 0
}

WGT=; [ -x /usr/local/bin/wgtrack ] && WGT=1
LAB=; [ -x /usr/local/bin/wgtrack-labctl ] && LAB=1

# (b) wgtrack show [--json] [wg1] in ns1, all between two `wg show all dump`s
if [ -n "$WGT" ]; then
	in1 wg show all dump >/tmp/b0
	w json_all ns1 wgtrack show --json; rc_ja=$?
	w json_wg1 ns1 wgtrack show --json wg1; rc_j1=$?
	w text_all ns1 wgtrack show; rc_ta=$?
	w text_wg1 ns1 wgtrack show wg1; rc_t1=$?
	in1 wg show all dump >/tmp/b1
	check "(b) wgtrack show --json exits 0" rc_is 0 $rc_ja json_all
	check "(b) wgtrack show --json == wg show all dump (ns1: v4/v6/link-local/no endpoint, psk)" \
		jsoncmp /tmp/b0 /tmp/b1 json_all
	check "(b) wgtrack show --json wg1 exits 0" rc_is 0 $rc_j1 json_wg1
	check "(b) wgtrack show --json wg1 == wg show all dump" jsoncmp /tmp/b0 /tmp/b1 json_wg1
	check "(b) wgtrack show (text) exits 0" rc_is 0 $rc_ta text_all
	check "(b) wgtrack show wg1 (text) exits 0" rc_is 0 $rc_t1 text_wg1
	check "(b) wgtrack show [wg1] (text) names wg1 and every peer key" names_keys text_all text_wg1
	check "(b) wgtrack show [wg1] (text) shows every endpoint as wg does" text_endpoints /tmp/b0 text_all text_wg1
else
	say "# wgtrack checks skipped: no --wgtrack given"
fi

# (c) update-only endpoint change through our kernel backend, then the old path is removed
# (d) a removed peer is not re-created by set-endpoint
if [ -n "$LAB" ]; then
	in1 wg show wg1 allowed-ips | grep -F -- "$P2" >/tmp/c_aip0
	w setep_p2 ns1 wgtrack-labctl set-endpoint --backend kernel wg1 "$P2" 198.51.100.2:51820; rc=$?
	check "(c) labctl set-endpoint wg1 P2 198.51.100.2:51820 exits 0" rc_is 0 $rc setep_p2
	check "(c) wg show wg1 endpoints: P2 at 198.51.100.2:51820" endpoint_is "$P2" 198.51.100.2:51820
	$IP -n ns2 addr del 192.0.2.2/24 dev veth2 # the old path is gone
	check "(c) ping 203.0.113.2 through wg1 over the new path" in1 ping -A -c 3 -W 3 203.0.113.2
	in1 wg show wg1 allowed-ips | grep -F -- "$P2" >/tmp/c_aip1
	check "(c) allowed IPs of P2 unchanged" same_file /tmp/c_aip0 /tmp/c_aip1
	w setep_p6 ns1 wgtrack-labctl set-endpoint --backend kernel wg1 "$P6" '[2001:db8:1::9]:51999'; rc=$?
	check "(c) labctl set-endpoint P6 [2001:db8:1::9]:51999 exits 0 (v6, peer had none)" rc_is 0 $rc setep_p6
	check "(c) wg show wg1 endpoints: P6 at [2001:db8:1::9]:51999" endpoint_is "$P6" '[2001:db8:1::9]:51999'
	w setep_p5 ns1 wgtrack-labctl set-endpoint --backend kernel wg1 "$P5" '[fe80::3%veth1]:51823'; rc=$?
	check "(c) labctl set-endpoint P5 [fe80::3%veth1]:51823 exits 0 (link-local, scoped)" rc_is 0 $rc setep_p5
	check "(c) wg show wg1 endpoints: P5 at [fe80::3%veth1]:51823" endpoint_is "$P5" '[fe80::3%veth1]:51823'

	in1 wg set wg1 peer "$P5" remove
	w setep_gone ns1 wgtrack-labctl set-endpoint --backend kernel wg1 "$P5" 192.0.2.99:51820; rc=$?
	check "(d) labctl set-endpoint for a removed peer exits 0" rc_is 0 $rc setep_gone
	check "(d) the removed peer is not re-created" no_peer "$P5"

	w setep_nodev ns1 wgtrack-labctl set-endpoint --backend kernel nosuchdev "$P2" 192.0.2.2:51820; rc=$?
	check "labctl set-endpoint on a missing interface exits 1" rc_is 1 $rc setep_nodev
else
	say "# wgtrack-labctl checks skipped: no --labctl given"
fi

# (e) 1000 peers (some with 200 or 1500 allowed IPs: peers split across netlink messages)
check "(e) wg setconf wg3 (1000 peers, ~4,700 allowed IPs)" wg setconf wg3 /lab/wg3.conf
wg show all dump >/tmp/e0
check "(e) wg show all dump: wg3 has 1000 peers" count_peers /tmp/e0 wg3 1000
if [ -n "$WGT" ]; then
	w json_wg3 - wgtrack show --json wg3; rc=$?
	check "(e) wgtrack show --json wg3 exits 0" rc_is 0 $rc json_wg3
	check "(e) wgtrack show --json wg3 == wg show all dump (1000 peers, keys, allowed IPs, ...)" \
		jsoncmp /tmp/e0 /tmp/e0 json_wg3
	w text_wg3 - wgtrack show wg3; rc=$?
	check "(e) wgtrack show wg3 (text) exits 0" rc_is 0 $rc text_wg3
fi
if [ -n "$LAB" ]; then
	w read_wg3 - wgtrack-labctl read --backend kernel wg3 --repeat 3; rc=$?
	check "(e) labctl read --backend kernel wg3 exits 0" rc_is 0 $rc read_wg3
	check "(e) labctl read: peers=1000" count_line read_wg3 '(^|[^0-9])peers=1000([^0-9]|$)'
fi

# (f) a missing interface
if [ -n "$WGT" ]; then
	w nosuchdev ns1 wgtrack show nosuchdev; rc_nf=$?
	check "(f) wgtrack show nosuchdev: non-zero exit, 'not found'-style message" not_found_msg nosuchdev
	w nosuchdev_json ns1 wgtrack show --json nosuchdev; rc_nf=$?
	check "(f) wgtrack show --json nosuchdev: non-zero exit, 'not found'-style message" not_found_msg nosuchdev_json
fi

if [ -n "$WGT$LAB" ]; then
	check "no private or preshared key (base64 or hex) in any wgtrack output" no_secrets
fi

if [ "$SHOW_OUTPUTS" = 1 ]; then
	for f in /tmp/wgt/*; do
		[ -s "$f" ] || continue
		echo "# ---- ${f##*/} ($(wc -c <"$f") bytes)"
		{ head -c 1500 "$f"; echo; } | sed 's/^/#   /'
	done >&3
fi
say "WGTEST: $pass passed, $fail failed"
exec 3>&- # closing the tty waits for the UART to drain
poweroff -f
