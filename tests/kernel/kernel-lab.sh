#!/usr/bin/env bash
# kernel-lab.sh - run wgtrack's checks against REAL kernel WireGuard.
#
# Boots a stock Debian kernel under qemu (TCG software emulation) with a small initramfs that
# holds wireguard.ko + its dependencies, veth.ko, a static busybox, iproute2 `ip`, `wg`, `jq`
# and the binaries under test. The guest /init (guest-init.sh beside this script) builds two
# network namespaces joined by veth, runs the checks and prints TAP-ish lines and a summary
# `WGTEST: N passed, N failed` on a second serial port, which lands in a file here.
# The guest has no network device (-nodefaults): nothing leaves it.
#
# The kernel and busybox-static .debs are only fetched (`apt-get download`) and unpacked into a
# cache; nothing is installed on the host.
#
# Usage: kernel-lab.sh [--wgtrack PATH] [--labctl PATH] [--keep] [--verbose]
#   Without --wgtrack/--labctl only the wg-based infrastructure checks run.
# Exit: 0 all guest checks passed; 1 failures, timeout or no summary; 2 setup error.
# Knobs (environment): KERNEL_PKG (default linux-image-cloud-amd64), TIMEOUT (s, default 240),
#   MEM (MiB, 256), SMP (1), CPU (max), MACHINE (pc), CMDLINE_EXTRA, REFRESH=1 (re-resolve the
#   kernel meta package), KEEP=1 (keep the work dir), VERBOSE=1 (print the guest console),
#   SHOW_OUTPUTS=1 (the guest also prints the start of every wgtrack/labctl output),
#   WGTRACK_KLAB_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/wgtrack-kernel-lab).
set -Eeuo pipefail
export PATH=$PATH:/usr/sbin:/sbin
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${WGTRACK_KLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wgtrack-kernel-lab}
KERNEL_PKG=${KERNEL_PKG:-linux-image-cloud-amd64}
TIMEOUT=${TIMEOUT:-240}
MEM=${MEM:-256}
SMP=${SMP:-1}
CPU=${CPU:-max}
MACHINE=${MACHINE:-pc}
CMDLINE_EXTRA=${CMDLINE_EXTRA:-}
KEEP=${KEEP:-0}
VERBOSE=${VERBOSE:-0}
WGTRACK=
LABCTL=

log() { echo "[kernel-lab] $*" >&2; }
die() { log "ERROR: $*"; exit 2; }
# Any unexpected failure while preparing is a setup error (exit 2), not a test failure.
trap 'log "ERROR: setup command failed (line $LINENO)"; exit 2' ERR

usage() { sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--wgtrack) [ $# -ge 2 ] || usage; WGTRACK=$2; shift 2 ;;
	--labctl) [ $# -ge 2 ] || usage; LABCTL=$2; shift 2 ;;
	--keep) KEEP=1; shift ;;
	--verbose) VERBOSE=1; shift ;;
	-h | --help) usage ;;
	*) log "unknown argument: $1"; usage ;;
	esac
done
for b in "$WGTRACK" "$LABCTL"; do
	[ -z "$b" ] || [ -x "$b" ] || die "not an executable: $b"
done

need=(qemu-system-x86_64 timeout flock cpio depmod modprobe dpkg-deb apt-get ldd wg ip jq base64 od awk xz)
for t in "${need[@]}"; do
	command -v "$t" >/dev/null || die "missing tool '$t' (run scripts/install-deps.sh test)"
done
[ -f "$HERE/guest-init.sh" ] || die "missing $HERE/guest-init.sh"

# ------------------------------------------------------------------ cache (one preparer)
APT_UPDATED=0
apt_update_once() {
	[ "$APT_UPDATED" = 0 ] || return 0
	APT_UPDATED=1
	if [ "$(id -u)" = 0 ]; then
		log "apt-get update"
		apt-get update -qq >/dev/null || die "apt-get update failed"
	fi
}
DEB=
apt_fetch_deb() { # $1=package -> DEB=path of its .deb in $CACHE/debs
	local pkg=$1 sandbox=()
	[ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
	mkdir -p "$CACHE/debs"
	rm -f "$CACHE/debs/${pkg}_"*.deb
	apt_update_once
	log "apt-get download $pkg"
	(cd "$CACHE/debs" && apt-get download -qq "${sandbox[@]}" "$pkg" >/dev/null) ||
		die "apt-get download $pkg failed"
	DEB=$(ls "$CACHE/debs/${pkg}_"*.deb 2>/dev/null | head -n1)
	[ -n "$DEB" ] || die "no .deb for $pkg"
}

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9

# Static busybox: only unpacked (installing busybox-static would remove the host's busybox).
BB=$CACHE/busybox-static/bin/busybox
if [ ! -f "$CACHE/busybox-static/.ok" ]; then
	apt_fetch_deb busybox-static
	rm -rf "$CACHE/busybox-static" && mkdir -p "$CACHE/busybox-static"
	dpkg-deb -x "$DEB" "$CACHE/busybox-static"
	rm -f "$DEB"
	[ -x "$BB" ] || die "busybox-static has no bin/busybox"
	touch "$CACHE/busybox-static/.ok"
fi

# Kernel: a meta package is resolved once and pinned, so warm runs need no apt at all.
pkg=$KERNEL_PKG
if ! [[ $pkg =~ ^linux-image-[0-9] ]]; then
	pinned=$CACHE/$KERNEL_PKG.resolved
	if [ "${REFRESH:-0}" = 1 ] || [ ! -s "$pinned" ]; then
		apt_update_once
		apt-cache depends "$KERNEL_PKG" 2>/dev/null |
			awk '/Depends: linux-image-[0-9]/ {print $2; exit}' >"$pinned.tmp" || true
		[ -s "$pinned.tmp" ] || { rm -f "$pinned.tmp"; die "cannot resolve $KERNEL_PKG"; }
		mv "$pinned.tmp" "$pinned"
	fi
	pkg=$(cat "$pinned")
fi
KROOT=$CACHE/kernel/$pkg
if [ ! -f "$KROOT/.ok" ]; then
	apt_fetch_deb "$pkg"
	log "unpacking $(basename "$DEB")"
	rm -rf "$KROOT" && mkdir -p "$KROOT"
	dpkg-deb -x "$DEB" "$KROOT"
	kv=$(ls "$KROOT/lib/modules" | head -n1)
	[ -n "$kv" ] || die "$pkg has no /lib/modules"
	depmod -b "$KROOT" "$kv" # the .deb ships no modules.dep
	rm -f "$DEB"
	touch "$KROOT/.ok"
fi
KVER=$(ls "$KROOT/lib/modules" | head -n1)
VMLINUZ=$KROOT/boot/vmlinuz-$KVER
[ -r "$VMLINUZ" ] || die "missing $VMLINUZ"
flock -u 9

# --------------------------------------------------------------- work dir + cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wgtrack-klab.XXXXXX")
QPID=
cleanup() {
	local p
	if [ -n "$QPID" ]; then # still running: interrupted by a signal
		kill "$QPID" 2>/dev/null || true # the timeout(1) process; it forwards TERM to qemu
		p=$(cat "$WORK/qemu.pid" 2>/dev/null || true)
		# our qemu by the PID it wrote (checked to still be a qemu process)
		if [ -n "$p" ] && grep -qs qemu "/proc/$p/comm"; then kill -9 "$p" 2>/dev/null || true; fi
		wait "$QPID" 2>/dev/null || true
	fi
	if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

R=$WORK/root
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,proc,sys,dev,run,tmp,mods,lab,etc,var/run}
cp "$BB" "$R/bin/busybox"

copy_with_libs() { # $1=host binary  $2=dir inside the guest
	local bin=$1 dst=$2 lib
	mkdir -p "$R$dst"
	cp -L "$bin" "$R$dst/"
	ldd "$bin" >"$WORK/ldd.out" 2>&1 || true
	if grep -q 'not found' "$WORK/ldd.out"; then die "$bin: $(grep 'not found' "$WORK/ldd.out" | tr -s ' \t\n' ' ')"; fi
	for lib in $(grep -oE '/[^ ]+' "$WORK/ldd.out" || true); do
		[ -e "$R$lib" ] && continue
		[ -e "$lib" ] || die "$bin needs missing $lib"
		mkdir -p "$R$(dirname "$lib")"
		cp -L "$lib" "$R$lib"
	done
}
copy_with_libs "$(command -v wg)" /usr/bin
copy_with_libs "$(command -v ip)" /usr/bin # iproute2: busybox ip has no netns/veth/wireguard
copy_with_libs "$(command -v jq)" /usr/bin
copy_as() { # $1=host binary  $2=guest path: binaries under test, under their usual names
	copy_with_libs "$1" /lab/bin.tmp
	mv "$R/lab/bin.tmp/$(basename "$1")" "$R$2"
	if command -v strip >/dev/null; then strip --strip-debug "$R$2"; fi # smaller initramfs
	rmdir "$R/lab/bin.tmp"
}
if [ -n "$WGTRACK" ]; then copy_as "$WGTRACK" /usr/local/bin/wgtrack; fi
if [ -n "$LABCTL" ]; then copy_as "$LABCTL" /usr/local/bin/wgtrack-labctl; fi
for a in $("$BB" --list); do
	[ -e "$R/usr/bin/$a" ] || [ -e "$R/usr/local/bin/$a" ] || [ -e "$R/bin/$a" ] || ln -s busybox "$R/bin/$a"
done

# wireguard and veth with their dependencies, in load order (one modprobe per module:
# `--show-depends wireguard veth` would take veth as a module parameter)
for m in wireguard veth; do modprobe -d "$KROOT" -S "$KVER" --show-depends "$m"; done |
	awk '$1 == "insmod" {print $2}' | awk '!seen[$0]++' >"$WORK/mods.list"
: >"$R/mods/order"
while read -r ko; do
	name=$(basename "$ko"); name=${name%.xz}; name=${name%.zst}; name=${name%.gz}
	case $ko in
	*.xz) xz -dc "$ko" >"$R/mods/$name" ;;
	*.zst) zstd -qdc "$ko" >"$R/mods/$name" ;;
	*.gz) gzip -dc "$ko" >"$R/mods/$name" ;;
	*) cp "$ko" "$R/mods/$name" ;;
	esac
	echo "$name" >>"$R/mods/order"
done <"$WORK/mods.list"
grep -qx wireguard.ko "$R/mods/order" || die "wireguard.ko not found for $KVER"
grep -qx veth.ko "$R/mods/order" || die "veth.ko not found for $KVER"

# ------------------------------------------------------------ guest configuration
# Keys are made here: `wg genkey` is slow under TCG, and any 32 random bytes are a valid key
# for configuration purposes (the kernel clamps private keys).
randkeys() { # $1=count -> base64 keys, one a line
	head -c $(($1 * 32)) /dev/urandom | od -An -v -tu1 | awk '
	BEGIN { t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" }
	{ for (i = 1; i <= NF; i++) { b[n++] = $i; if (n == 32) { emit(); n = 0 } } }
	function emit(   i, v, s) {
		s = ""
		for (i = 0; i < 30; i += 3) {
			v = b[i] * 65536 + b[i + 1] * 256 + b[i + 2]
			s = s substr(t, int(v / 262144) + 1, 1) substr(t, int(v / 4096) % 64 + 1, 1) \
			      substr(t, int(v / 64) % 64 + 1, 1) substr(t, v % 64 + 1, 1)
		}
		v = b[30] * 65536 + b[31] * 256
		print s substr(t, int(v / 262144) + 1, 1) substr(t, int(v / 4096) % 64 + 1, 1) \
		        substr(t, int(v / 64) % 64 + 1, 1) "="
	}'
}
L=$R/lab
k1=$(wg genkey); k2=$(wg genkey); k4=$(wg genkey); psk=$(wg genpsk)
p1=$(wg pubkey <<<"$k1"); p2=$(wg pubkey <<<"$k2"); p4=$(wg pubkey <<<"$k4")
mapfile -t extra < <(randkeys 3) # p5, p6 (peers with no WireGuard behind them), k3 (wg3)
p5=${extra[0]}; p6=${extra[1]}; k3=${extra[2]}
umask 077
cat >"$L/env" <<EOF
SHOW_OUTPUTS=${SHOW_OUTPUTS:-0}
P1=$p1
P2=$p2
P4=$p4
P5=$p5
P6=$p6
EOF
# Addresses: veth path A 192.0.2.0/24 + 2001:db8:1::/64, path B 198.51.100.0/24; tunnel wg1<->wg2
# 203.0.113.0/28 + 2001:db8:a::/64, tunnel wg1<->wg4 203.0.113.16/28 + 2001:db8:b::/64.
cat >"$L/wg1.conf" <<EOF
[Interface]
PrivateKey = $k1
ListenPort = 51820
FwMark = 0x1234

[Peer]
# wg2: v4 endpoint, preshared key
PublicKey = $p2
PresharedKey = $psk
Endpoint = 192.0.2.2:51820
AllowedIPs = 203.0.113.2/32, 2001:db8:a::2/128

[Peer]
# wg4: v6 endpoint, keepalive
PublicKey = $p4
Endpoint = [2001:db8:1::2]:51821
AllowedIPs = 203.0.113.18/32, 2001:db8:b::2/128
PersistentKeepalive = 25

[Peer]
# nobody: link-local scoped endpoint, never contacted
PublicKey = $p5
Endpoint = [fe80::2%veth1]:51822
AllowedIPs = 203.0.113.128/25, 2001:db8:5::/48

[Peer]
# nobody: no endpoint, no allowed IPs
PublicKey = $p6
PersistentKeepalive = 60
EOF
cat >"$L/wg2.conf" <<EOF
[Interface]
PrivateKey = $k2
ListenPort = 51820

[Peer]
PublicKey = $p1
PresharedKey = $psk
Endpoint = 192.0.2.1:51820
AllowedIPs = 203.0.113.1/32, 2001:db8:a::1/128
EOF
cat >"$L/wg4.conf" <<EOF
[Interface]
PrivateKey = $k4
ListenPort = 51821

[Peer]
PublicKey = $p1
Endpoint = [2001:db8:1::1]:51820
AllowedIPs = 203.0.113.17/32, 2001:db8:b::1/128
EOF
cat >"$L/root.ip" <<EOF
netns add ns1
netns add ns2
link add veth1 netns ns1 type veth peer name veth2 netns ns2
link add wg3 type wireguard
EOF
cat >"$L/ns2.ip" <<EOF
link set lo up
addr add 192.0.2.2/24 dev veth2
addr add 198.51.100.2/24 dev veth2
addr add 2001:db8:1::2/64 dev veth2 nodad
addr add fe80::2/64 dev veth2 nodad
link set veth2 up
link add wg2 type wireguard
link add wg4 type wireguard
addr add 203.0.113.2/28 dev wg2
addr add 2001:db8:a::2/64 dev wg2 nodad
addr add 203.0.113.18/28 dev wg4
addr add 2001:db8:b::2/64 dev wg4 nodad
EOF
cat >"$L/ns1.ip" <<EOF
link set lo up
addr add 192.0.2.1/24 dev veth1
addr add 198.51.100.1/24 dev veth1
addr add 2001:db8:1::1/64 dev veth1 nodad
link set veth1 up
link add wg1 type wireguard
addr add 203.0.113.1/28 dev wg1
addr add 2001:db8:a::1/64 dev wg1 nodad
addr add 203.0.113.17/28 dev wg1
addr add 2001:db8:b::1/64 dev wg1 nodad
EOF

# wg3: 1000 peers for the multi-message netlink dump. Every peer has a /64; every third a /128,
# every third a v4 /32; two peers have 1000 /128s (~40 KB of attributes: more than one netlink
# message, whatever the reader's buffer) and five have 200; every fifth has a v4 and every fifth a v6 endpoint; some have a keepalive.
randkeys 1000 >"$WORK/wg3.keys"
{
	printf '[Interface]\nPrivateKey = %s\nListenPort = 51830\n' "$k3"
	awk '
	function many(i, n,   k, s) { s = ""; for (k = 1; k <= n; k++) s = s sprintf(", 2001:db8:5:%x::%x/128", i, k); return s }
	{
		i = NR - 1
		printf "\n[Peer]\nPublicKey = %s\nAllowedIPs = 2001:db8:3:%x::/64", $1, i
		if (i % 3 == 1) printf ", 2001:db8:4::%x/128", i + 1
		if (i % 3 == 2) { j = (i - 2) / 3; printf ", %s.%d/32", (j < 256 ? "198.51.100" : "203.0.113"), j % 256 }
		if (i == 100 || i == 900) printf "%s", many(i, 1000)
		if (i == 200 || i == 300 || i == 400 || i == 600 || i == 700) printf "%s", many(i, 200)
		printf "\n"
		if (i % 5 == 0) printf "Endpoint = 192.0.2.%d:%d\n", i % 250 + 1, 10000 + i
		if (i % 5 == 1) printf "Endpoint = [2001:db8:6::%x]:%d\n", i + 1, 20000 + i
		if (i % 10 == 3) printf "PersistentKeepalive = %d\n", 1 + i % 600
	}' "$WORK/wg3.keys"
} >"$L/wg3.conf"

# Secrets that must never appear in wgtrack's output: private keys and the preshared key, in
# base64 and in hex.
for s in "$k1" "$k3" "$psk"; do
	echo "$s"
	base64 -d <<<"$s" | od -An -v -tx1 | tr -d ' \n'; echo
done >"$L/secrets"
umask 022

install -m 0755 "$HERE/guest-init.sh" "$R/init"
(cd "$R" && find . | cpio -o -H newc -R 0:0 --quiet) >"$WORK/initrd.cpio"
log "kernel $KVER, initramfs $(du -h "$WORK/initrd.cpio" | cut -f1)," \
	"wgtrack=${WGTRACK:-none} labctl=${LABCTL:-none}"

# ---------------------------------------------------------------------------- boot
trap - ERR
: >"$WORK/console.log"
: >"$WORK/result.log"
t0=$(date +%s.%N)
timeout -k 5 "$TIMEOUT" qemu-system-x86_64 \
	-accel tcg -M "$MACHINE" -cpu "$CPU" -m "$MEM" -smp "$SMP" \
	-nodefaults -no-user-config -display none -monitor none -no-reboot \
	-pidfile "$WORK/qemu.pid" \
	-kernel "$VMLINUZ" -initrd "$WORK/initrd.cpio" \
	-append "console=ttyS0 quiet panic=-1 $CMDLINE_EXTRA" \
	-serial "file:$WORK/console.log" \
	-chardev "file,id=res,path=$WORK/result.log" -device isa-serial,chardev=res,index=1 \
	</dev/null &
QPID=$!
rc=0
wait "$QPID" || rc=$?
QPID=
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')

tr -d '\r' <"$WORK/result.log" >"$WORK/result.txt"
if [ "$VERBOSE" = 1 ]; then log "---- guest console"; tr -d '\r' <"$WORK/console.log" >&2; fi
cat "$WORK/result.txt"
log "qemu exit $rc after ${secs}s"
console_tail() { log "$1; console tail:"; tr -d '\r' <"$WORK/console.log" | tail -n 40 >&2; }
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	console_tail "TIMEOUT after ${TIMEOUT}s"
	exit 1
fi
line=$(grep -E '^WGTEST: [0-9]+ passed, [0-9]+ failed$' "$WORK/result.txt" | tail -n1 || true)
if [ -z "$line" ]; then
	console_tail "no WGTEST summary from the guest"
	exit 1
fi
case $line in
*" 0 failed") exit 0 ;;
*) exit 1 ;;
esac
